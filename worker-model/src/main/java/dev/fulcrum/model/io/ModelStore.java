package dev.fulcrum.model.io;

import static dev.fulcrum.model.io.ModelLayout.MANIFEST;
import static dev.fulcrum.model.io.ModelLayout.MODEL;
import static dev.fulcrum.model.io.ModelLayout.PARAMS;
import static dev.fulcrum.model.io.ModelLayout.PROVENANCE;
import static dev.fulcrum.model.io.ModelLayout.VOCABULARY;

import java.io.IOException;
import java.nio.file.Path;

import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.transformer.ParameterCount;
import dev.fulcrum.model.transformer.Transformer;

/**
 * Saves and loads {@link TranslationModel}s as a directory of five files, or as one zip archive of them:
 * <ul>
 *   <li>{@code params.bin}: the flat parameter vector (format in {@link ParamsFile})</li>
 *   <li>{@code model.json}: model configuration, head plan, data type</li>
 *   <li>{@code vocab.json}: the BPE model</li>
 *   <li>{@code provenance.json}: the {@link Provenance}</li>
 *   <li>{@code manifest.json}: byte size and SHA-256 of each of the four above</li>
 * </ul>
 * A save replaces the target directory atomically; a load verifies every file before it trusts any.
 * Nothing is ever read with Java deserialisation.
 */
public final class ModelStore {

    private ModelStore() {
    }

    /**
     * Writes {@code model} to the directory {@code dir}, replacing the model that may be there. If the save
     * fails or the process dies, {@code dir} still holds the previous model (or nothing), never a mix.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code dir} exists and is neither empty nor a model
     */
    public static void save(TranslationModel model, Path dir) throws IOException {
        ModelLayout.requireReplaceable(dir);
        AtomicReplace.directory(dir, staging -> {
            writeFiles(model, staging);
            return null;
        });
    }

    /** @throws ModelFormatException if a file is missing, damaged, foreign or does not fit the others */
    public static TranslationModel load(Path dir) throws IOException {
        Manifest.read(dir.resolve(MANIFEST)).verify(dir);
        ModelDescription description = ModelDescription.read(dir.resolve(MODEL));
        BpeModel vocabulary = readVocabulary(dir.resolve(VOCABULARY));
        Provenance provenance = ProvenanceFile.read(dir.resolve(PROVENANCE));
        // Before building: model.json alone decides how much the graphs allocate.
        ParamsFile.requireShape(dir.resolve(PARAMS), description.dataType(),
                ParameterCount.of(description.config(), description.headPlan()));
        Transformer transformer = description.newTransformer();
        ParamsFile.read(dir.resolve(PARAMS), transformer.parameters().flat());
        try {
            return new TranslationModel(transformer, vocabulary, provenance);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(dir, "the files do not belong together: " + e.getMessage(), e);
        }
    }

    /** Packs the model directory {@code modelDir}, verified first, into the zip file {@code zipFile}. */
    public static void exportArchive(Path modelDir, Path zipFile) throws IOException {
        ModelArchive.export(modelDir, zipFile);
    }

    /**
     * Unpacks a model archive into {@code targetDir} (replaced like by {@link #save}) and loads it. Only the
     * five model files are accepted, none larger than its manifest declares; the archive is unpacked and
     * loaded beside the target, so a rejected archive leaves the target untouched.
     *
     * @throws ModelFormatException if the archive holds anything else or its model does not load
     */
    public static TranslationModel importArchive(Path zipFile, Path targetDir) throws IOException {
        ModelLayout.requireReplaceable(targetDir);
        return AtomicReplace.directory(targetDir, staging -> ModelArchive.unpack(zipFile, staging));
    }

    /** The model as the bytes of its archive ({@link #exportArchive}): how a model travels to Spark executors. */
    public static byte[] toArchiveBytes(TranslationModel model) throws IOException {
        try (ScratchDirectory scratch = new ScratchDirectory()) {
            save(model, scratch.resolve("model"));
            return archiveBytes(scratch.resolve("model"));
        }
    }

    /** The archive bytes of the model directory {@code modelDir}, verified first, as {@link #exportArchive}. */
    public static byte[] archiveBytes(Path modelDir) throws IOException {
        try (ScratchDirectory scratch = new ScratchDirectory()) {
            exportArchive(modelDir, scratch.resolve("model.zip"));
            return java.nio.file.Files.readAllBytes(scratch.resolve("model.zip"));
        }
    }

    /** The model of archive bytes from {@link #toArchiveBytes}, verified as {@link #importArchive} verifies. */
    public static TranslationModel fromArchiveBytes(byte[] archive) throws IOException {
        try (ScratchDirectory scratch = new ScratchDirectory()) {
            return saveArchiveBytes(archive, scratch.resolve("model"));
        }
    }

    /** Unpacks archive bytes from {@link #toArchiveBytes} into the model directory {@code dir} and loads it. */
    public static TranslationModel saveArchiveBytes(byte[] archive, Path dir) throws IOException {
        try (ScratchDirectory scratch = new ScratchDirectory()) {
            java.nio.file.Files.write(scratch.resolve("model.zip"), archive);
            return importArchive(scratch.resolve("model.zip"), dir);
        }
    }

    static void writeFiles(TranslationModel model, Path dir) throws IOException {
        Transformer transformer = model.transformer();
        ParamsFile.write(transformer.parameters().flat(), dir.resolve(PARAMS));
        ModelDescription.of(transformer).write(dir.resolve(MODEL));
        model.vocabulary().save(dir.resolve(VOCABULARY));
        ProvenanceFile.write(model.provenance(), dir.resolve(PROVENANCE));
        Manifest.describe(dir).write(dir.resolve(MANIFEST));
    }

    private static BpeModel readVocabulary(Path file) throws IOException {
        try {
            return BpeModel.load(file);
        } catch (IllegalArgumentException e) {
            // BpeModel.load's message starts with the path; its cause, when there is one, is the bare problem.
            Throwable problem = e.getCause() == null ? e : e.getCause();
            throw new ModelFormatException(file, "is not a usable vocabulary: " + problem.getMessage(), e);
        }
    }
}
