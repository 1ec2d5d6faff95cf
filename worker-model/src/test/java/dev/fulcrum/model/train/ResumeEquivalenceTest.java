package dev.fulcrum.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.data.BatchStream;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * What resuming relies on at the replica level: the batch stream and all step randomness (dropout, gate
 * noise) are functions of (seed, position), and a step restored from (parameters, updater state, step
 * count) continues bit for bit like the uninterrupted one.
 */
class ResumeEquivalenceTest {
    private static final ModelConfig CONFIG =
            new ModelConfig(64, 16, 2, 32, 1, 1, 0.2, 0.1, 16, ModelConfig.SINKHORN, 3, true);
    private static final TrainingConfig TRAINING = new TrainingConfig(3e-3, 5, 1.0, 120, 7);
    private static final Knobs KNOBS = new Knobs(0.1, 0.2, 0.9, 0.1, 0.05);

    private static List<int[][]> pairs() {
        Random random = new Random(4);
        List<int[][]> pairs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int[] source = random.ints(2 + random.nextInt(5), 4, 40).toArray();
            int[] target = java.util.Arrays.stream(source).map(t -> 40 + t % 19).toArray();
            pairs.add(new int[][] {source, target});
        }
        return pairs;
    }

    @Test
    void streamIsAFunctionOfSeedAndPositionAndEachEpochVisitsEveryBatchOnce() {
        BatchStream first = new BatchStream(pairs(), new Batcher(16, 120), 3);
        BatchStream second = new BatchStream(pairs(), new Batcher(16, 120), 3);
        int perEpoch = first.batchesPerEpoch();
        Set<MultiDataSet> epochTwo = new HashSet<>();
        for (long p = 2L * perEpoch + 1; p >= 0; p--) { // backwards: random access, not only sequential
            assertEquals(first.at(p).getFeatures(0), second.at(p).getFeatures(0), "position " + p);
        }
        for (long p = perEpoch; p < 2L * perEpoch; p++) {
            epochTwo.add(first.at(p));
        }
        assertEquals(perEpoch, epochTwo.size());
        assertNotEquals(orderOf(first, 0, perEpoch), orderOf(first, perEpoch, perEpoch), "epochs reshuffle");
    }

    @Test
    void restoredStepContinuesExactlyLikeTheUninterruptedOne() {
        BatchStream stream = new BatchStream(pairs(), new Batcher(16, 120), 3);
        Transformer straight = Transformer.initialize(CONFIG, 5, DataType.FLOAT);
        TrainingStep straightStep = new TrainingStep(straight, TRAINING);
        for (long p = 0; p < 6; p++) {
            straightStep.fit(stream.at(p), KNOBS);
        }

        Transformer interrupted = Transformer.initialize(CONFIG, 5, DataType.FLOAT);
        TrainingStep before = new TrainingStep(interrupted, TRAINING);
        for (long p = 0; p < 3; p++) {
            before.fit(stream.at(p), KNOBS);
        }
        INDArray savedParams = interrupted.parameters().flat().dup();
        INDArray savedState = before.updaterState().dup();

        Transformer resumed = Transformer.initialize(CONFIG, 99, DataType.FLOAT); // different init, overwritten
        resumed.parameters().flat().assign(savedParams);
        TrainingStep after = new TrainingStep(resumed, TRAINING);
        after.restore(3, savedState);
        for (long p = 3; p < 6; p++) {
            after.fit(stream.at(p), KNOBS);
        }
        assertEquals(6, after.step());
        assertArrayEquals(straight.parameters().flat().toFloatVector(), resumed.parameters().flat().toFloatVector());
        assertArrayEquals(straightStep.updaterState().toFloatVector(), after.updaterState().toFloatVector());
    }

    @Test
    void replicasDrawDifferentNoiseAtTheSameStep() {
        MultiDataSet batch = new BatchStream(pairs(), new Batcher(16, 120), 3).at(0);
        Transformer model = Transformer.initialize(CONFIG, 5, DataType.FLOAT);
        double replicaZero = new TrainingStep(model, TRAINING, 0).computeGradient(batch, KNOBS);
        double replicaZeroAgain = new TrainingStep(model, TRAINING, 0).computeGradient(batch, KNOBS);
        double replicaOne = new TrainingStep(model, TRAINING, 1).computeGradient(batch, KNOBS);
        assertEquals(replicaZero, replicaZeroAgain);
        assertNotEquals(replicaZero, replicaOne);
    }

    @Test
    void restoreRejectsAStateOfAnotherShape() {
        Transformer model = Transformer.initialize(CONFIG, 5, DataType.FLOAT);
        TrainingStep step = new TrainingStep(model, TRAINING);
        INDArray wrong = org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 1, 10);
        assertThrows(IllegalArgumentException.class, () -> step.restore(3, wrong));
    }

    private static List<INDArray> orderOf(BatchStream stream, long from, int count) {
        List<INDArray> order = new ArrayList<>();
        for (long p = from; p < from + count; p++) {
            order.add(stream.at(p).getFeatures(0));
        }
        return order;
    }
}
