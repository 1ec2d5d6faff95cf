package dev.fulcrum.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.train.TrainingStep;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.eval.Evaluator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every graph of a model reads the one flat parameter vector live: parameters written after a graph has run
 * (averaging, loading, a training step) are what its next run uses. Distributed training depends on it: the
 * driver writes averaged parameters into its model and validates with graphs built in the first round.
 */
class SharedParametersTest {

    @Test
    void graphsBuiltAndRunEarlierSeeLaterParameterWrites() {
        ModelConfig config = new ModelConfig(40, 16, 2, 32, 1, 1, 0.0, 0.1, 16, ModelConfig.SOFTMAX, 3, false);
        Transformer model = Transformer.initialize(config, 1, DataType.FLOAT);
        Transformer other = Transformer.initialize(config, 2, DataType.FLOAT);
        List<MultiDataSet> batch = List.of(Batcher.toBatch(List.of(new int[][] {{5, 6, 7}, {8, 9}},
                new int[][] {{10, 11}, {12, 13, 14}})));
        double otherLoss = new Evaluator(other).loss(batch).nll();
        double before = new Evaluator(model).loss(batch).nll();
        assertNotEquals(otherLoss, before);

        double otherTrainingLoss = new TrainingStep(other, TrainingConfig.defaults()).computeGradient(batch.get(0), Knobs.NONE);
        assertNotEquals(otherTrainingLoss, new TrainingStep(model, TrainingConfig.defaults()).computeGradient(batch.get(0), Knobs.NONE));

        model.parameters().flat().assign(Nd4j.createFromArray(other.parameters().flat().toFloatVector()).reshape(1, -1));
        assertEquals(otherLoss, new Evaluator(model).loss(batch).nll(), 1e-6);
        assertEquals(otherTrainingLoss, new TrainingStep(model, TrainingConfig.defaults()).computeGradient(batch.get(0), Knobs.NONE), 1e-6);
    }
}
