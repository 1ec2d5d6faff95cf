package dev.fulcrum.jobs;

import java.io.IOException;
import java.nio.file.Path;

import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.decode.DecodeOptions;
import dev.fulcrum.model.io.ModelFormatException;
import dev.fulcrum.model.io.ModelStore;
import picocli.CommandLine.Option;

/** The options every command that uses a trained model shares. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "model directory (e.g. runs/latest/model)")
    Path dir;

    @Option(names = "--beam", paramLabel = "N", defaultValue = "4", description = "beam size; 1 = greedy (default ${DEFAULT-VALUE})")
    int beam;

    @Option(names = "--length-penalty", paramLabel = "ALPHA", defaultValue = "0.6", description = "GNMT length penalty α (default ${DEFAULT-VALUE})")
    double lengthPenalty;

    DecodeOptions decodeOptions() {
        return new DecodeOptions(beam, lengthPenalty, 0, DecodeOptions.DEFAULT_MAX_LENGTH_RATIO,
                DecodeOptions.DEFAULT_MAX_LENGTH_OFFSET);
    }

    TranslationModel load() throws IOException {
        return load(dir);
    }

    /** The model in {@code dir}; a missing or damaged one is an error that names the directory. */
    static TranslationModel load(Path dir) throws IOException {
        try {
            return ModelStore.load(dir);
        } catch (ModelFormatException | java.nio.file.NoSuchFileException e) {
            throw new FulcrumCli.UserFacingException("cannot load the model in " + dir + ": " + e.getMessage(), e);
        }
    }
}
