package dev.fulcrum.model.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.transformer.Transformer;
import dev.fulcrum.model.transformer.TransformerGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The whole model's analytic gradient (graph gradients + scatter-added embedding rows of the tied table)
 * against central finite differences of the loss, in double precision, with padding, every penalty on.
 */
class TrainingStepGradientTest {
    private static final int VOCAB = 30;
    private static final Knobs KNOBS = new Knobs(0.5, 0.6, 0.9, 0.5, 0.1);

    /** Ragged minibatch: example 1 is shorter on both sides (PAD = 0), token 7 repeats within and across sides. */
    static MultiDataSet batch() {
        int[][] source = {{7, 5, 9, 7, 2}, {8, 7, 2, 0, 0}};
        int[][] targetIn = {{1, 11, 7, 12}, {1, 13, 7, 0}};
        int[][] targetOut = {{11, 7, 12, 2}, {13, 7, 2, 0}};
        return new MultiDataSet(new INDArray[] {Nd4j.createFromArray(source), Nd4j.createFromArray(targetIn)},
                new INDArray[] {Nd4j.createFromArray(targetOut)});
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "sinkhorn"})
    void analyticGradientMatchesFiniteDifferences(String normalization) {
        ModelConfig config = new ModelConfig(VOCAB, 8, 2, 12, 2, 2, 0.0, 0.1, 16, normalization, 3, true);
        Transformer model = Transformer.initialize(config, 11, DataType.DOUBLE);
        MultiDataSet batch = batch();
        TrainingStep step = newStep(model);
        step.computeGradient(batch, KNOBS);
        INDArray analytic = step.gradient().dup();
        INDArray params = model.parameters().flat();

        List<Long> probes = probeIndices(model);
        double worst = 0;
        for (long i : probes) {
            double original = params.getDouble(0, i);
            double h = 1e-6;
            params.putScalar(0, i, original + h);
            double plus = newStep(model).computeGradient(batch, KNOBS);
            params.putScalar(0, i, original - h);
            double minus = newStep(model).computeGradient(batch, KNOBS);
            params.putScalar(0, i, original);
            double numeric = (plus - minus) / (2 * h);
            double a = analytic.getDouble(0, i);
            double error = Math.abs(a - numeric) / Math.max(1e-6, Math.abs(a) + Math.abs(numeric));
            worst = Math.max(worst, error);
            assertTrue(error < 1e-4 || Math.abs(a - numeric) < 1e-8,
                    "parameter #" + i + ": analytic " + a + " numeric " + numeric);
        }
        assertTrue(worst < 1e-4, "worst relative error " + worst);
    }

    /** A fresh step replays the same gate noise, so every loss evaluation sees the same sampled gates. */
    private static TrainingStep newStep(Transformer model) {
        return new TrainingStep(model, TrainingConfig.defaults());
    }

    /** Every tied-table entry of tokens in the batch (incl. repeated ones) plus a random sample of all others. */
    private static List<Long> probeIndices(Transformer model) {
        List<Long> indices = new ArrayList<>();
        long tableOffset = offsetOf(model, TransformerGraph.EMBEDDING);
        for (int token : new int[] {7, 11, 13, 2, 5}) {
            for (int d = 0; d < 8; d += 3) {
                indices.add(tableOffset + token * 8L + d);
            }
        }
        Random random = new Random(5);
        for (int k = 0; k < 60; k++) {
            indices.add((long) random.nextInt((int) model.parameters().size()));
        }
        return indices;
    }

    private static long offsetOf(Transformer model, String name) {
        return model.parameters().view(name).offset() - model.parameters().flat().offset();
    }
}
