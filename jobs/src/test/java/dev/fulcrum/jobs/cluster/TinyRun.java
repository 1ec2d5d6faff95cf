package dev.fulcrum.jobs.cluster;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The configuration of a run small enough for end-to-end tests: a d32 model, one layer a side, 500 BPE tokens. */
final class TinyRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyRun() {
    }

    /**
     * @param trainKeys the {@code train { }} block's content, e.g. {@code "rounds = 3, stepsPerRound = 6"}
     * @param evalKeys  the {@code eval { }} block's content
     */
    static String config(Path train, Path valid, Path out, String trainKeys, String evalKeys) throws IOException {
        return String.join("\n",
                "corpus.train = " + JSON.writeValueAsString(train.toString()),
                "corpus.valid = " + JSON.writeValueAsString(valid.toString()),
                "output.dir = " + JSON.writeValueAsString(out.toString()),
                "vocab.size = 500",
                "model { modelDim = 32, heads = 2, ffnDim = 64, encoderLayers = 1, decoderLayers = 1, maxLength = 48 }",
                "train { " + trainKeys + ", batchTokens = 800, peakLearningRate = 0.003, warmupSteps = 6 }",
                "eval { " + evalKeys + " }",
                "decode.beam = 1",
                "");
    }
}
