package dev.fulcrum.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.eval.Evaluator;
import dev.fulcrum.model.parameters.Parameters;
import dev.fulcrum.model.transformer.Transformer;
import dev.fulcrum.model.transformer.TransformerGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {
    private static List<int[][]> pairs(int count) {
        Random random = new Random(9);
        List<int[][]> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] source = random.ints(2 + random.nextInt(5), 4, 40).toArray();
            int[] target = java.util.Arrays.stream(source).map(t -> 40 + t % 19).toArray();
            pairs.add(new int[][] {source, target});
        }
        return pairs;
    }

    private static Transformer tinyModel(boolean gates) {
        return Transformer.initialize(new ModelConfig(64, 16, 2, 32, 1, 1, 0.0, 0.1, 16, ModelConfig.SINKHORN, 3, gates),
                3, DataType.FLOAT);
    }

    @Test
    void stopsAtTheStepBudgetAndReportsEveryStepAndEpoch() {
        Transformer model = tinyModel(false);
        TrainingStep step = new TrainingStep(model, new TrainingConfig(3e-3, 5, 1.0, 120, 1));
        List<Trainer.StepEvent> events = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        Trainer.Listener recorder = new Trainer.Listener() {
            public void onStep(Trainer.StepEvent event) {
                events.add(event);
            }

            public void onEpochEnd(int epoch, long steps) {
                epochs.add(epoch);
            }
        };
        long collectionsBefore = NativeMemory.collections();
        new Trainer(step, new Batcher(16, 120), List.of(recorder))
                .train(pairs(60), new Trainer.Budget(Duration.ofMinutes(5), 100, 25), Knobs.NONE, 1);
        assertEquals(25, events.size());
        assertTrue(NativeMemory.collections() - collectionsBefore >= 25, "every step recycles its native garbage");
        assertEquals(25, step.step());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).step());
            assertTrue(events.get(i).tokens() > 0);
        }
        assertTrue(!epochs.isEmpty() && epochs.get(0) == 0, "epoch events " + epochs);
        assertTrue(events.get(24).loss() < events.get(0).loss(), "loss should fall on a learnable mapping");
    }

    @Test
    void evaluatorReportsPerplexityAndPerHeadStatistics() {
        Transformer model = tinyModel(true);
        Evaluator.LossReport report = new Evaluator(model).loss(new Batcher(16, 120).batch(pairs(20), 0).batches());
        assertEquals(Math.exp(report.nll()), report.perplexity(), 1e-9);
        assertTrue(report.nll() > 0 && report.tokens() > 20);
        for (String layer : TransformerGraph.attentionLayers(model.config())) {
            assertEquals(2, report.attention().get(layer + ".gateOpen").length, layer);
        }
        double[] entropy = report.attention().get("enc0.self.entropy");
        for (double e : entropy) {
            assertTrue(e >= 0 && e <= 1 + 1e-6, "normalised entropy " + e);
        }
        assertTrue(report.attention().containsKey("dec0.cross.coverageUnderRun"));
        assertTrue(!report.attention().containsKey("dec0.self.entropy"), "causal layers report gate openness only");
    }

    @Test
    void gateParametersTakeStepsScaledByTheGateLearningRateScale() {
        Parameters before = tinyModel(true).parameters(); // the same seed: the start of both models below
        Transformer common = tinyModel(true);
        Transformer scaled = tinyModel(true);
        var batch = new Batcher(16, 120).batch(pairs(20), 0).batches().get(0);
        Knobs gatePenalty = new Knobs(0.0, 0.1, 0.9, 0.0, 1.0); // open gates are clipped: only the penalty moves them
        new TrainingStep(common, new TrainingConfig(3e-3, 5, 1.0, 120, 1, 1.0)).fit(batch, gatePenalty);
        new TrainingStep(scaled, new TrainingConfig(3e-3, 5, 1.0, 120, 1, 8.0)).fit(batch, gatePenalty);

        int gates = 0;
        for (String name : common.parameters().names()) {
            INDArray commonStep = common.parameters().view(name).sub(before.view(name));
            INDArray scaledStep = scaled.parameters().view(name).sub(before.view(name));
            if (name.endsWith("." + BalancedAttention.GATE_LOG_ALPHA)) {
                gates++;
                assertTrue(commonStep.norm2Number().doubleValue() > 0, name + " did not move");
                assertArrayEquals(commonStep.mul(8.0).reshape(-1).toDoubleVector(), scaledStep.reshape(-1).toDoubleVector(), 1e-6, name);
            } else {
                assertArrayEquals(commonStep.reshape(-1).toDoubleVector(), scaledStep.reshape(-1).toDoubleVector(), 1e-7, name);
            }
        }
        assertEquals(TransformerGraph.attentionLayers(common.config()).size(), gates);
    }

    @Test
    void decoderGateScaleMultipliesTheGatePenaltyOfDecoderHeadsOnly() {
        var batch = new Batcher(16, 120).batch(pairs(20), 0).batches().get(0);
        Transformer model = tinyModel(true);
        double[] loss = new double[4];
        INDArray[] gradient = new INDArray[4];
        for (int scale = 1; scale <= 3; scale++) {
            TrainingStep step = new TrainingStep(model, new TrainingConfig(3e-3, 5, 1.0, 120, 1));
            loss[scale] = step.computeGradient(batch, new Knobs(0.0, 0.1, 0.9, 0.0, 1.0, scale));
            gradient[scale] = step.gradient().dup();
        }
        assertEquals(2 * (loss[2] - loss[1]), loss[3] - loss[1], 1e-5, "the penalty is linear in the scale");
        assertTrue(loss[2] - loss[1] > 0.5, "each decoder layer adds its mean gate openness (~0.95)");
        var atScale2 = model.parameters().viewsOf(gradient[2]);
        var atScale1 = model.parameters().viewsOf(gradient[1]);
        for (String name : model.parameters().names()) {
            INDArray once = atScale2.get(name).sub(atScale1.get(name));
            boolean decoderGate = name.startsWith("dec") && name.endsWith("." + BalancedAttention.GATE_LOG_ALPHA);
            assertEquals(decoderGate, once.norm2Number().doubleValue() > 1e-6, name);
        }
    }
}
