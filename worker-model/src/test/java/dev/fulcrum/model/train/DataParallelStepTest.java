package dev.fulcrum.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * The gradient threads of one replica train one model: their token-weighted gradient equals the gradient of one
 * model on the union of their minibatches, and the update they apply equals that model's update.
 */
class DataParallelStepTest {
    // No dropout, no sampled gates, no penalties: what is random or per-minibatch differs between the two ways.
    private static final ModelConfig CONFIG =
            new ModelConfig(48, 16, 2, 24, 1, 1, 0.0, 0.1, 16, ModelConfig.SOFTMAX, 3, false);
    private static final TrainingConfig TRAINING = new TrainingConfig(3e-3, 5, 1.0, 200, 7);

    /** Pairs of different lengths, so that the two minibatches hold different numbers of target tokens. */
    private static List<int[][]> pairs(int count, int maxLength, long seed) {
        Random random = new Random(seed);
        List<int[][]> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] source = random.ints(1 + random.nextInt(maxLength), 4, 48).toArray();
            int[] target = random.ints(1 + random.nextInt(maxLength), 4, 48).toArray();
            pairs.add(new int[][] {source, target});
        }
        return pairs;
    }

    @Test
    void workersGradientIsTheGradientOfTheirUnion() {
        List<int[][]> first = pairs(3, 9, 1);
        List<int[][]> second = pairs(6, 4, 2);
        List<int[][]> union = new ArrayList<>(first);
        union.addAll(second);
        MultiDataSet a = Batcher.toBatch(first);
        MultiDataSet b = Batcher.toBatch(second);
        assertNotEquals(Batcher.targetTokens(a), Batcher.targetTokens(b), "a plain mean would pass otherwise");

        TrainingStep parallel = new TrainingStep(models(2), TRAINING, 0);
        TrainingStep single = new TrainingStep(models(1), TRAINING, 0);
        double parallelLoss = parallel.computeGradients(List.of(a, b), Knobs.NONE);
        double unionLoss = single.computeGradient(Batcher.toBatch(union), Knobs.NONE);

        assertEquals(unionLoss, parallelLoss, 1e-10);
        assertArrayEquals(single.gradient().toDoubleVector(), parallel.gradient().toDoubleVector(), 1e-10);
        parallel.close();
    }

    @Test
    void stepsOfTheWorkersUpdateTheModelLikeOneModelOnTheUnion() {
        List<Transformer> workers = models(2);
        Transformer alone = models(1).get(0);
        TrainingStep parallel = new TrainingStep(workers, TRAINING, 0);
        TrainingStep single = new TrainingStep(alone, TRAINING);
        for (int s = 0; s < 3; s++) {
            List<int[][]> first = pairs(4, 8, 10 + s);
            List<int[][]> second = pairs(5, 5, 20 + s);
            List<int[][]> union = new ArrayList<>(first);
            union.addAll(second);
            TrainingStep.Outcome together = parallel.fit(List.of(Batcher.toBatch(first), Batcher.toBatch(second)),
                    Knobs.NONE);
            TrainingStep.Outcome merged = single.fit(Batcher.toBatch(union), Knobs.NONE);
            assertEquals(merged.gradientNorm(), together.gradientNorm(), 1e-9 * merged.gradientNorm());
        }
        assertEquals(3, parallel.step());
        assertArrayEquals(alone.parameters().flat().toDoubleVector(),
                workers.get(0).parameters().flat().toDoubleVector(), 1e-9);
        assertArrayEquals(single.updaterState().toDoubleVector(), parallel.updaterState().toDoubleVector(), 1e-9);
        parallel.close();
    }

    @Test
    void aStepNeedsOneMinibatchPerWorker() {
        TrainingStep parallel = new TrainingStep(models(2), TRAINING, 0);
        MultiDataSet batch = Batcher.toBatch(pairs(2, 4, 3));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> parallel.fit(batch, Knobs.NONE));
        assertTrue(error.getMessage().contains("1 minibatches for 2 workers"), error.getMessage());
        parallel.close();
    }

    /** {@code count} models initialised alike, in double precision so that only the summation order differs. */
    private static List<Transformer> models(int count) {
        List<Transformer> models = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            models.add(Transformer.initialize(CONFIG, 5, DataType.DOUBLE));
        }
        return models;
    }
}
