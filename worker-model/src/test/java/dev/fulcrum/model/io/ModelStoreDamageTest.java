package dev.fulcrum.model.io;

import static dev.fulcrum.model.io.ModelLayout.MANIFEST;
import static dev.fulcrum.model.io.ModelLayout.MODEL;
import static dev.fulcrum.model.io.ModelLayout.PARAMS;
import static dev.fulcrum.model.io.ModelLayout.VOCABULARY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.text.BpeLearner;
import dev.fulcrum.model.text.PreTokenizer;
import dev.fulcrum.model.transformer.HeadPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Every way a model directory can be damaged is reported as a ModelFormatException naming file and problem. */
class ModelStoreDamageTest {
    private static TranslationModel model;

    @TempDir
    Path directory;
    private Path dir;

    @BeforeAll
    static void buildModel() {
        model = TinyModels.model(11, DataType.FLOAT);
    }

    @BeforeEach
    void saveModel() throws IOException {
        dir = directory.resolve("model");
        ModelStore.save(model, dir);
    }

    @Test
    void flippedByteInParametersFailsTheChecksum() throws IOException {
        byte[] bytes = Files.readAllBytes(dir.resolve(PARAMS));
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(dir.resolve(PARAMS), bytes);

        assertRejected(PARAMS, "SHA-256");
    }

    @Test
    void truncatedParametersDisagreeWithTheManifest() throws IOException {
        truncate(dir.resolve(PARAMS));

        assertRejected(PARAMS, "has 7435 bytes, manifest.json says 14871");
    }

    @Test
    void truncatedParametersAreFoundByTheirHeaderEvenUnderAMatchingManifest() throws IOException {
        truncate(dir.resolve(PARAMS));
        reseal();

        assertRejected(PARAMS, "a header and 3710 values of 4 bytes make 14871");
    }

    @Test
    void parametersCutInsideTheHeaderAreTruncated() throws IOException {
        Files.write(dir.resolve(PARAMS), Arrays.copyOf(Files.readAllBytes(dir.resolve(PARAMS)), 20));
        reseal();

        assertRejected(PARAMS, "truncated");
    }

    @Test
    void missingFileIsNamed() throws IOException {
        Files.delete(dir.resolve(VOCABULARY));

        assertRejected(VOCABULARY, "is missing");
    }

    @Test
    void missingManifestMeansNotAModelDirectory() throws IOException {
        Files.delete(dir.resolve(MANIFEST));

        assertRejected(MANIFEST, "not a model directory");
    }

    @Test
    void manifestOfAnotherModelIsFound() throws IOException {
        Path other = directory.resolve("other");
        ModelStore.save(TinyModels.model(12, DataType.FLOAT), other);
        Files.copy(other.resolve(MANIFEST), dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING);

        assertRejected(PARAMS, "belongs to another model");
    }

    @Test
    void foreignJsonInTheManifestIsRejected() throws IOException {
        Files.writeString(dir.resolve(MANIFEST), "{\"name\": \"some other tool\"}");

        assertRejected(MANIFEST, "is not a model manifest");
    }

    @Test
    void foreignJsonInTheModelDescriptionIsRejected() throws IOException {
        Files.writeString(dir.resolve(MODEL), "{\"name\": \"some other tool\", \"layers\": [1, 2]}");
        reseal();

        assertRejected(MODEL, "is not a Fulcrum model description");
    }

    @Test
    void invalidConfigurationInTheModelDescriptionIsRejected() throws IOException {
        Path file = dir.resolve(MODEL);
        Files.writeString(file, Files.readString(file).replace("\"heads\" : 2", "\"heads\" : 3"));
        reseal();

        assertRejected(MODEL, "model.heads = 3");
    }

    @Test
    void headPlanForAMissingLayerIsRejected() throws IOException {
        new ModelDescription(ModelDescription.FORMAT, ModelLayout.FORMAT_VERSION, TinyModels.CONFIG,
                new HeadPlan(Map.of("enc7.self", 1)), DataType.FLOAT).write(dir.resolve(MODEL));
        reseal();

        assertRejected(MODEL, "layer 'enc7.self'");
    }

    @Test
    void wrongElementCountIsRejected() throws IOException {
        new ModelDescription(ModelDescription.FORMAT, ModelLayout.FORMAT_VERSION,
                TinyModels.CONFIG.withAttention("softmax", 3, true), HeadPlan.FULL, DataType.FLOAT)
                .write(dir.resolve(MODEL));
        reseal();

        assertRejected(PARAMS, "holds 3710 parameters, the model described by model.json has");
    }

    /**
     * Issue 16, item 7: a small model.json within the configuration's bounds describing a huge model is refused by
     * its parameter count before any graph is built (building it would allocate over 60 GB).
     */
    @Test
    void aHugeModelDescriptionIsRefusedBeforeAnythingIsBuilt() throws IOException {
        ModelConfig small = TinyModels.CONFIG;
        ModelConfig huge = new ModelConfig(1_000_000, 8192, 4, 32_768, 6, 6, small.dropout(),
                small.labelSmoothing(), small.maxLength(), small.normalization(), small.sinkhornIterations(),
                small.headGates());
        new ModelDescription(ModelDescription.FORMAT, ModelLayout.FORMAT_VERSION, huge, HeadPlan.FULL, DataType.FLOAT)
                .write(dir.resolve(MODEL));
        reseal();

        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> assertRejected(PARAMS, "the model described by model.json has"));
    }

    @Test
    void dataTypeOtherThanTheDescribedOneIsRejected() throws IOException {
        ModelDescription.of(TinyModels.model(1, DataType.DOUBLE).transformer()).write(dir.resolve(MODEL));
        reseal();

        assertRejected(PARAMS, "model.json says DOUBLE");
    }

    @Test
    void foreignParameterFileIsRejected() throws IOException {
        Files.writeString(dir.resolve(PARAMS), "PK\u0003\u0004 not our parameters at all, but long enough",
                StandardCharsets.US_ASCII);
        reseal();

        assertRejected(PARAMS, "not a Fulcrum parameter file");
    }

    @Test
    void vocabularyOfAnotherSizeDoesNotBelongToTheModel() throws IOException {
        BpeLearner.learn(PreTokenizer.countWords(List.of("a b c d e f g h", "abc abc def")), 280, 1)
                .save(dir.resolve(VOCABULARY));
        reseal();

        ModelFormatException e = assertRejected("model", "do not belong together");
        assertTrue(e.getMessage().contains("the model's embedding table 300"), e.getMessage());
    }

    @Test
    void missingDirectoryIsNotAModelDirectory() {
        assertRejected(directory.resolve("nowhere"), MANIFEST, "not a model directory");
    }

    private ModelFormatException assertRejected(String fileName, String problem) {
        return assertRejected(dir, fileName, problem);
    }

    private static ModelFormatException assertRejected(Path dir, String fileName, String problem) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelStore.load(dir));
        assertEquals(fileName, e.file().getFileName().toString(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        return e;
    }

    private static void truncate(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    }

    /** A manifest that matches the damaged files, so that the checks behind the manifest are reached. */
    private void reseal() throws IOException {
        Manifest.describe(dir).write(dir.resolve(MANIFEST));
    }
}
