package dev.fulcrum.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.train.FaultInjection.Fault;
import dev.fulcrum.model.train.FaultInjection.Target;
import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;

/** Issue 16, item 1, inside one step: a non-finite gradient changes nothing; the learning-rate scale is exact. */
class StepFaultTest {
    private static final ModelConfig CONFIG =
            new ModelConfig(48, 16, 2, 24, 1, 1, 0.0, 0.1, 16, ModelConfig.SOFTMAX, 3, false);
    private static final TrainingConfig TRAINING = new TrainingConfig(3e-3, 5, 1.0, 200, 7);
    private static final MultiDataSet BATCH = Batcher.toBatch(List.of(
            new int[][] {{5, 6, 7}, {8, 9}}, new int[][] {{10, 11}, {12, 13, 14}}));

    @AfterEach
    void disarm() {
        FaultInjection.clear();
    }

    private static Transformer model() {
        return Transformer.initialize(CONFIG, 7, DataType.DOUBLE);
    }

    @Test
    void aStepWithANonFiniteGradientChangesNeitherParametersNorOptimiserState() {
        for (float poison : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            Transformer model = model();
            TrainingStep step = new TrainingStep(model, TRAINING);
            step.fit(BATCH, Knobs.NONE);
            double[] parameters = parametersOf(model);
            double[] optimiser = step.updaterState().toDoubleVector();
            FaultInjection.arm(new Fault(Target.GRADIENT, 0, 1, 2, poison, true));

            TrainingStep.Outcome outcome = step.fit(BATCH, Knobs.NONE);

            assertTrue(outcome.skipped(), "poison " + poison);
            assertArrayEquals(parameters, parametersOf(model), 0.0);
            assertArrayEquals(optimiser, step.updaterState().toDoubleVector(), 0.0);
            assertEquals(2, step.step(), "the schedule goes on");
            assertFalse(step.fit(BATCH, Knobs.NONE).skipped(), "the next step trains again");
            FaultInjection.clear();
        }
    }

    @Test
    void aLearningRateScaleScalesTheUpdateExactly() {
        Transformer fullModel = model();
        Transformer halfModel = model();
        TrainingStep full = new TrainingStep(fullModel, TRAINING);
        TrainingStep half = new TrainingStep(halfModel, TRAINING);
        half.scaleLearningRate(0.5);
        double[] before = parametersOf(fullModel);

        full.fit(BATCH, Knobs.NONE);
        half.fit(BATCH, Knobs.NONE);

        double[] fullUpdate = difference(parametersOf(fullModel), before);
        double[] halfUpdate = difference(parametersOf(halfModel), before);
        for (int i = 0; i < fullUpdate.length; i++) {
            assertEquals(fullUpdate[i] * 0.5, halfUpdate[i], 1e-12);
        }
        assertEquals(full.learningRate() * 0.5, half.learningRate(), 1e-15);
    }

    private static double[] parametersOf(Transformer model) {
        return model.parameters().flat().toDoubleVector();
    }

    private static double[] difference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }
}
