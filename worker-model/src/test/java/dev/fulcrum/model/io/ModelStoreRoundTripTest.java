package dev.fulcrum.model.io;

import static dev.fulcrum.model.io.TinyModels.assertSameModel;
import static dev.fulcrum.model.io.TinyModels.fileNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.transformer.HeadPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

class ModelStoreRoundTripTest {
    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void loadedModelEqualsTheSavedOneBitForBit(DataType type) throws IOException {
        TranslationModel saved = TinyModels.model(7, type);
        Path dir = directory.resolve("model");
        ModelStore.save(saved, dir);
        TranslationModel loaded = ModelStore.load(dir);

        assertSameModel(saved, loaded);
        assertEquals(ModelLayout.ALL.stream().sorted().toList(), fileNames(dir));
    }

    @Test
    void prunedHeadPlanIsKept() throws IOException {
        TranslationModel saved = TinyModels.pruned(new HeadPlan(Map.of("enc0.self", 1, "dec0.cross", 1)));
        Path dir = directory.resolve("pruned");
        ModelStore.save(saved, dir);
        TranslationModel loaded = ModelStore.load(dir);

        assertEquals(saved.transformer().headPlan(), loaded.transformer().headPlan());
        assertSameModel(saved, loaded);
    }

    @Test
    void provenanceKeepsItsKnobHistoryInOrderAndUnchangeable() {
        List<Provenance.KnobDecision> history = new ArrayList<>(TinyModels.PROVENANCE.knobHistory());
        Provenance provenance = new Provenance(TinyModels.CONFIG, TrainingConfig.defaults(), "sha256:00", "unknown",
                "2024-05-02T08:30:00Z", history, List.of());
        history.clear();
        Provenance extended = provenance.withDecision(3, Knobs.NONE, "all heads within the band");

        assertEquals(2, provenance.knobHistory().size());
        assertEquals(List.of(1, 2, 3), extended.knobHistory().stream().map(Provenance.KnobDecision::round).toList());
        assertThrows(UnsupportedOperationException.class, () -> extended.knobHistory().clear());
        assertThrows(IllegalArgumentException.class, () -> new Provenance(TinyModels.CONFIG,
                TrainingConfig.defaults(), "sha256:00", "unknown", "yesterday", List.of(), List.of()));
    }

    @Test
    void provenanceKeepsItsPruningRecord() throws IOException {
        Map<String, List<Integer>> kept = new LinkedHashMap<>();
        kept.put("enc0.self", List.of(1));
        kept.put("dec0.self", List.of(0, 1));
        kept.put("dec0.cross", List.of());
        Provenance pruned = TinyModels.PROVENANCE.withPruning(new Provenance.Pruning(0.5, "GLOBAL", 2, kept));
        TranslationModel saved = new TranslationModel(TinyModels.model(4, DataType.FLOAT).transformer(),
                TinyModels.VOCABULARY, pruned);
        Path dir = directory.resolve("model");
        ModelStore.save(saved, dir);

        Provenance loaded = ModelStore.load(dir).provenance();
        assertEquals(pruned, loaded);
        assertEquals(List.copyOf(kept.keySet()), List.copyOf(loaded.pruning().get(0).keptHeads().keySet()));
        assertEquals(3, loaded.pruning().get(0).keptTotal());
    }

    @Test
    void provenanceWrittenBeforePruningExistedLoadsAsUnpruned() throws IOException {
        Path dir = directory.resolve("model");
        String older = saveWithProvenanceEdited(dir, current ->
                current.replaceFirst(",\\s*\"pruning\"\\s*:\\s*\\[\\s*\\]", ""));

        assertEquals(TinyModels.PROVENANCE, ModelStore.load(dir).provenance());
        rewriteProvenance(dir, older.replace("\"gitRevision\"", "\"revision\""));
        assertThrows(ModelFormatException.class, () -> ModelStore.load(dir));
        for (String notAnObject : new String[] {"", "[]"}) {
            rewriteProvenance(dir, notAnObject);
            assertThrows(ModelFormatException.class, () -> ModelStore.load(dir), "'" + notAnObject + "'");
        }
    }

    @Test
    void provenanceWrittenBeforeTheGateLearningRateScaleExistedLoadsWithTheCommonRate() throws IOException {
        Path dir = directory.resolve("model");
        saveWithProvenanceEdited(dir, current ->
                current.replaceFirst(",\\s*\"gateLearningRateScale\"\\s*:\\s*[0-9.]+", ""));

        assertEquals(1.0, ModelStore.load(dir).provenance().trainingConfig().gateLearningRateScale());
    }

    @Test
    void knobDecisionsWrittenBeforeTheDecoderGateScaleExistedLoadWithEvenGates() throws IOException {
        Path dir = directory.resolve("model");
        saveWithProvenanceEdited(dir, current ->
                current.replaceAll(",\\s*\"decoderGateScale\"\\s*:\\s*[0-9.]+", ""));

        assertEquals(TinyModels.PROVENANCE, ModelStore.load(dir).provenance());
        assertEquals(Knobs.EVEN_GATE_SCALE, TinyModels.PROVENANCE.knobHistory().get(0).knobs().decoderGateScale());
    }

    /** Saves a tiny model and rewrites its provenance.json as {@code edit} of it (an older layout); returns that text. */
    private static String saveWithProvenanceEdited(Path dir, UnaryOperator<String> edit) throws IOException {
        ModelStore.save(TinyModels.model(4, DataType.FLOAT), dir);
        String current = Files.readString(dir.resolve(ModelLayout.PROVENANCE));
        String edited = edit.apply(current);
        assertNotEquals(current, edited);
        rewriteProvenance(dir, edited);
        return edited;
    }

    /** Replaces provenance.json and updates the manifest, so that only the content is wrong, not the checksum. */
    private static void rewriteProvenance(Path dir, String text) throws IOException {
        Files.writeString(dir.resolve(ModelLayout.PROVENANCE), text);
        Manifest.describe(dir).write(dir.resolve(ModelLayout.MANIFEST));
    }

    @Test
    void savingAgainReplacesTheModelAndLeavesNothingBeside() throws IOException {
        Path dir = directory.resolve("model");
        ModelStore.save(TinyModels.model(1, DataType.FLOAT), dir);
        TranslationModel second = TinyModels.model(2, DataType.FLOAT);
        ModelStore.save(second, dir);

        assertSameModel(second, ModelStore.load(dir));
        assertEquals(List.of("model"), fileNames(directory));
    }

    @Test
    void refusesToReplaceADirectoryThatIsNotAModel() throws IOException {
        Path dir = Files.createDirectory(directory.resolve("documents"));
        Files.writeString(dir.resolve("thesis.tex"), "precious");

        assertThrows(FileAlreadyExistsException.class, () -> ModelStore.save(TinyModels.model(1, DataType.FLOAT), dir));
        assertEquals(List.of("thesis.tex"), fileNames(dir));
        assertEquals(List.of("documents"), fileNames(directory));
    }

    /** Issue 16, item 2: a stray manifest.json used to make any directory replaceable, and so deleted. */
    @Test
    void aStrayManifestDoesNotMakeADirectoryReplaceable() throws IOException {
        Path dir = Files.createDirectory(directory.resolve("documents"));
        Files.writeString(dir.resolve("manifest.json"), "{}");
        Files.writeString(dir.resolve("thesis.tex"), "precious");

        FileAlreadyExistsException refused = assertThrows(FileAlreadyExistsException.class,
                () -> ModelStore.save(TinyModels.model(1, DataType.FLOAT), dir));
        assertTrue(refused.getMessage().contains("thesis.tex"), refused.getMessage());
        assertEquals(List.of("manifest.json", "thesis.tex"), fileNames(dir));
    }

    @Test
    void aSymbolicLinkIsNeverReplacedNorFollowed() throws IOException {
        Path elsewhere = directory.resolve("elsewhere");
        ModelStore.save(TinyModels.model(1, DataType.FLOAT), elsewhere);
        Path link = Files.createSymbolicLink(directory.resolve("link"), elsewhere);
        assertThrows(FileAlreadyExistsException.class, () -> ModelStore.save(TinyModels.model(2, DataType.FLOAT), link));

        Path model = directory.resolve("model");
        ModelStore.save(TinyModels.model(1, DataType.FLOAT), model);
        Files.delete(model.resolve("vocab.json"));
        Files.createSymbolicLink(model.resolve("vocab.json"), elsewhere.resolve("vocab.json"));
        assertThrows(FileAlreadyExistsException.class, () -> ModelStore.save(TinyModels.model(2, DataType.FLOAT), model));
        assertSameModel(TinyModels.model(1, DataType.FLOAT), ModelStore.load(elsewhere));
    }

    /** Issue 16, item 1: a diverged model must never replace a good one. */
    @Test
    void aNonFiniteModelIsNeverWritten() throws IOException {
        Path dir = directory.resolve("model");
        TranslationModel good = TinyModels.model(1, DataType.FLOAT);
        ModelStore.save(good, dir);
        TranslationModel diverged = TinyModels.model(2, DataType.FLOAT);
        diverged.transformer().parameters().flat().putScalar(5, Float.NaN);

        assertThrows(NonFiniteValueException.class, () -> ModelStore.save(diverged, dir));
        assertSameModel(good, ModelStore.load(dir));
        assertEquals(List.of("model"), fileNames(directory), "no staging directory left behind");
    }

    @Test
    void archiveRoundTripGivesTheSameModelAndTheSameBytesEachTime() throws IOException {
        TranslationModel saved = TinyModels.model(3, DataType.FLOAT);
        Path dir = directory.resolve("model");
        ModelStore.save(saved, dir);
        Path zip = directory.resolve("model.zip");
        ModelStore.exportArchive(dir, zip);
        byte[] first = Files.readAllBytes(zip);
        ModelStore.exportArchive(dir, zip);

        assertArrayEquals(first, Files.readAllBytes(zip));
        assertSameModel(saved, ModelStore.importArchive(zip, directory.resolve("imported")));
        assertSameModel(saved, ModelStore.load(directory.resolve("imported")));
        assertEquals(List.of("imported", "model", "model.zip"), fileNames(directory));
    }
}
