package dev.fulcrum.model.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.train.TrainingStep;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A point training can resume from: a complete model directory ({@code model/}, loadable on its own by
 * {@link ModelStore}) plus what only training needs — the round and step reached, the knobs in force and
 * the optimiser's state ({@code updater.bin}). Its {@code manifest.json} holds the trainer state's scalars and
 * the SHA-256 of every file outside the model's own manifest. A checkpoint is written beside its target and renamed into place, so a
 * crash never leaves half of one.
 */
public final class TrainingCheckpoint {
    static final String FORMAT = "fulcrum-checkpoint";
    private static final String MODEL_DIR = "model";
    private static final String UPDATER = "updater.bin";
    private static final String INDEX = "a checkpoint index";
    private static final String LEARNING_RATE_SCALE = "learningRateScale";
    /** The files the index checksums: the optimiser state, and the model's manifest, which checksums the rest. */
    private static final Set<String> CHECKSUMMED = Set.of(UPDATER, MODEL_DIR + "/" + ModelLayout.MANIFEST);

    /**
     * Training progress stored with the model: rounds finished, steps taken, knobs, optimiser state, and the
     * factor on the schedule's learning rate (below 1 after the driver rolled a diverged run back).
     */
    public record TrainerState(int round, long step, Knobs knobs, INDArray updaterState, double learningRateScale) {
    }

    /** What a checkpoint holds. */
    public record Loaded(TranslationModel model, TrainerState state) {
    }

    /** The checkpoint's manifest.json: the trainer state's scalars and the checksums of the other files. */
    record Index(String format, int version, int round, long step, Knobs knobs, long updaterLength,
                 Map<String, Manifest.FileEntry> files, double learningRateScale) {
    }

    private TrainingCheckpoint() {
    }

    public static void save(Path dir, TranslationModel model, TrainerState state) throws IOException {
        ModelLayout.requireReplaceable(dir, Set.of(UPDATER), Set.of(MODEL_DIR));
        AtomicReplace.directory(dir, staging -> {
            ModelStore.writeFiles(model, Files.createDirectory(staging.resolve(MODEL_DIR)));
            ParamsFile.write(state.updaterState(), staging.resolve(UPDATER));
            Map<String, Manifest.FileEntry> files = new TreeMap<>();
            for (String name : CHECKSUMMED) {
                Path file = staging.resolve(name);
                files.put(name, new Manifest.FileEntry(Files.size(file), Manifest.sha256(file)));
            }
            Json.write(new Index(FORMAT, ModelLayout.FORMAT_VERSION, state.round(), state.step(), state.knobs(),
                    state.updaterState().length(), files, state.learningRateScale()),
                    staging.resolve(ModelLayout.MANIFEST));
            return null;
        });
    }

    /**
     * Values the checksums cannot vouch for (the index is what they are listed in): a crafted length would
     * allocate without bound before the updater file's own size check.
     */
    private static void requireConsistent(Path indexFile, Index index, long parameters) throws ModelFormatException {
        long expected = TrainingStep.updaterStateLength(parameters);
        if (index.updaterLength() != expected) {
            throw new ModelFormatException(indexFile, "says the optimiser state has " + index.updaterLength()
                    + " values; the optimiser of a model with " + parameters + " parameters has " + expected);
        }
        if (!(index.learningRateScale() > 0 && index.learningRateScale() <= 1)) {
            throw new ModelFormatException(indexFile, "has learningRateScale " + index.learningRateScale()
                    + ", which is not in (0, 1]");
        }
    }

    /** @throws ModelFormatException naming the first missing or damaged file */
    public static Loaded load(Path dir) throws IOException {
        Path indexFile = dir.resolve(ModelLayout.MANIFEST);
        if (!Files.isRegularFile(indexFile)) {
            throw new ModelFormatException(indexFile, "is missing: not a checkpoint directory");
        }
        JsonNode tree = Json.readTree(indexFile, INDEX);
        KnobsLayout.bringUpToDate(tree.path("knobs"));
        if (tree instanceof ObjectNode fields && !fields.has(LEARNING_RATE_SCALE)) {
            fields.put(LEARNING_RATE_SCALE, 1.0); // written before roll-backs existed: the schedule's own rate
        }
        Index index = Json.bind(tree, Index.class, indexFile, INDEX);
        ModelLayout.requireFormat(indexFile, index.format(), FORMAT, index.version());
        if (!index.files().keySet().equals(CHECKSUMMED)) { // and no path from elsewhere is ever read
            throw new ModelFormatException(indexFile, "lists " + index.files().keySet() + ", expected exactly "
                    + CHECKSUMMED + ": every file of a checkpoint is checksummed");
        }
        for (Map.Entry<String, Manifest.FileEntry> entry : index.files().entrySet()) {
            Manifest.verifyFile(dir.resolve(entry.getKey()), entry.getValue());
        }
        TranslationModel model = ModelStore.load(dir.resolve(MODEL_DIR));
        requireConsistent(indexFile, index, model.transformer().parameters().size());
        INDArray updater = Nd4j.create(model.transformer().parameters().dataType(), 1, index.updaterLength());
        ParamsFile.read(dir.resolve(UPDATER), updater);
        return new Loaded(model, new TrainerState(index.round(), index.step(), index.knobs(), updater,
                index.learningRateScale()));
    }
}
