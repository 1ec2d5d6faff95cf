package dev.fulcrum.model.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The balancing math on small, hand-checkable attention tensors [B=2, H=2, Tq, Tk] with ragged masks. */
class AttentionBalancingTest {
    private static final int B = 2, H = 2, TQ = 4, TK = 5;
    // example 0: all queries and keys valid; example 1: 3 queries, 3 keys valid.
    private static final double[][] QUERY_MASK = {{1, 1, 1, 1}, {1, 1, 1, 0}};
    private static final double[][] KEY_MASK = {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}};

    private static INDArray logits(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, B, H, TQ, TK).muli(2);
    }

    private static INDArray weights(INDArray logits, String mode, int iterations) {
        SameDiff sd = SameDiff.create();
        AttentionMask mask = mask(sd);
        SDVariable x = sd.constant(logits);
        SDVariable w = mode.equals("softmax") ? AttentionBalancing.softmax(sd, x, mask)
                : AttentionBalancing.sinkhorn(sd, x, mask, iterations);
        return w.eval();
    }

    private static AttentionMask mask(SameDiff sd) {
        return AttentionMask.of(sd, sd.constant(Nd4j.createFromArray(QUERY_MASK)),
                sd.constant(Nd4j.createFromArray(KEY_MASK)));
    }

    private static boolean valid(int b, int q, int k) {
        return QUERY_MASK[b][q] == 1 && KEY_MASK[b][k] == 1;
    }

    @Test
    void oneSinkhornIterationEqualsSoftmaxOnValidRows() {
        INDArray x = logits(1);
        INDArray soft = weights(x, "softmax", 0);
        INDArray sink = weights(x, "sinkhorn", 1);
        for (int b = 0; b < B; b++) for (int h = 0; h < H; h++) for (int q = 0; q < TQ; q++) {
            if (QUERY_MASK[b][q] == 0) continue;
            for (int k = 0; k < TK; k++) {
                assertEquals(soft.getDouble(b, h, q, k), sink.getDouble(b, h, q, k), 1e-12, "b" + b + " h" + h + " q" + q + " k" + k);
            }
        }
    }

    @Test
    void maskedKeysAndPaddedQueriesGetExactlyZero() {
        for (int iterations : new int[] {1, 2, 3, 8}) {
            INDArray w = weights(logits(2), "sinkhorn", iterations);
            for (int b = 0; b < B; b++) for (int h = 0; h < H; h++) for (int q = 0; q < TQ; q++) for (int k = 0; k < TK; k++) {
                if (!valid(b, q, k)) {
                    assertEquals(0.0, w.getDouble(b, h, q, k), 0.0, "iterations " + iterations);
                }
            }
        }
        INDArray soft = weights(logits(2), "softmax", 0);
        assertEquals(0.0, soft.getDouble(1, 0, 0, 3), 0.0);
        assertEquals(0.0, soft.getDouble(1, 1, 2, 4), 0.0);
    }

    @Test
    void sinkhornRowsAndColumnsReachTheirTargets() {
        INDArray w = weights(logits(3), "sinkhorn", 201); // odd: ends on a row step
        for (int b = 0; b < B; b++) {
            double nq = sum(QUERY_MASK[b]), nk = sum(KEY_MASK[b]);
            for (int h = 0; h < H; h++) {
                for (int q = 0; q < TQ; q++) {
                    if (QUERY_MASK[b][q] == 1) {
                        assertEquals(1.0, rowSum(w, b, h, q), 1e-9, "row sum");
                    }
                }
                for (int k = 0; k < TK; k++) {
                    if (KEY_MASK[b][k] == 1) {
                        assertEquals(nq / nk, columnSum(w, b, h, k), 1e-3, "column sum b" + b + " k" + k);
                    }
                }
            }
        }
    }

    @Test
    void evenIterationsEndOnExactColumnTargets() {
        INDArray w = weights(logits(4), "sinkhorn", 2);
        double nq = sum(QUERY_MASK[1]), nk = sum(KEY_MASK[1]);
        for (int k = 0; k < 3; k++) {
            assertEquals(nq / nk, columnSum(w, 1, 0, k), 1e-9);
        }
    }

    @Test
    void temperatureLimitsGiveUniformAndArgmax() {
        INDArray x = logits(5);
        SameDiff sd = SameDiff.create();
        SDVariable hot = AttentionBalancing.applyTemperature(sd, sd.constant(x), sd.constant(Nd4j.valueArrayOf(new long[] {H}, 20.0)));
        SDVariable cold = AttentionBalancing.applyTemperature(sd, sd.constant(x), sd.constant(Nd4j.valueArrayOf(new long[] {H}, -20.0)));
        INDArray uniform = AttentionBalancing.softmax(sd, hot, mask(sd)).eval();
        INDArray argmax = AttentionBalancing.softmax(sd, cold, mask(sd)).eval();
        assertEquals(1.0 / 5, uniform.getDouble(0, 0, 0, 0), 1e-6);
        assertEquals(1.0 / 3, uniform.getDouble(1, 1, 1, 2), 1e-6);
        int best = 0;
        for (int k = 1; k < TK; k++) if (x.getDouble(0, 1, 2, k) > x.getDouble(0, 1, 2, best)) best = k;
        assertEquals(1.0, argmax.getDouble(0, 1, 2, best), 1e-9);
    }

    @Test
    void gatesAreExactlyClosedOrOpenAtTheirLimits() {
        SameDiff sd = SameDiff.create();
        SDVariable logAlpha = sd.constant(Nd4j.createFromArray(-10.0, 10.0, 0.0));
        INDArray gate = AttentionBalancing.deterministicGate(sd, logAlpha).eval();
        assertEquals(0.0, gate.getDouble(0), 0.0);
        assertEquals(1.0, gate.getDouble(1), 0.0);
        assertEquals(0.5, gate.getDouble(2), 1e-9);
        INDArray open = AttentionBalancing.gateOpenProbability(sd, logAlpha).eval();
        assertTrue(open.getDouble(0) < 1e-3 && open.getDouble(1) > 0.999 && open.getDouble(2) > 0.5);
        SDVariable noise = sd.constant(Nd4j.createFromArray(0.5, 0.5, 0.5));
        INDArray sampled = AttentionBalancing.sampledGate(sd, logAlpha, noise).eval();
        assertEquals(0.0, sampled.getDouble(0), 0.0);
        assertEquals(1.0, sampled.getDouble(1), 0.0);
    }

    @Test
    void entropyIsOneForUniformAndZeroForOneHot() {
        SameDiff sd = SameDiff.create();
        INDArray uniform = AttentionBalancing.normalizedEntropy(sd,
                AttentionBalancing.softmax(sd, sd.constant(Nd4j.zeros(DataType.DOUBLE, B, H, TQ, TK)), mask(sd)), mask(sd)).eval();
        assertEquals(1.0, uniform.getDouble(0), 1e-6);
        INDArray sharp = AttentionBalancing.normalizedEntropy(sd,
                AttentionBalancing.softmax(sd, sd.constant(logits(6).muli(1e4)), mask(sd)), mask(sd)).eval();
        assertEquals(0.0, sharp.getDouble(1), 1e-6);
        INDArray balance = AttentionBalancing.columnDeviation(sd, sd.constant(weights(logits(7), "sinkhorn", 41)),
                mask(sd)).eval();
        assertTrue(balance.maxNumber().doubleValue() < 1e-2, "balanced columns deviate by " + balance);
    }

    @Test
    void gradientsOfEveryNormalisationAndPenaltyPassChecks() {
        for (int iterations : new int[] {1, 2, 3}) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", logits(8));
            SDVariable logTau = sd.var("logtau", Nd4j.createFromArray(0.3, -0.2));
            AttentionMask mask = mask(sd);
            SDVariable w = AttentionBalancing.sinkhorn(sd, AttentionBalancing.applyTemperature(sd, x, logTau), mask, iterations);
            SDVariable probe = sd.constant(Nd4j.rand(DataType.DOUBLE, B, H, TQ, TK));
            SDVariable loss = sd.sum(w.mul(probe))
                    .add(AttentionBalancing.entropyBandPenalty(sd, AttentionBalancing.normalizedEntropy(sd, w, mask),
                            sd.constant(Nd4j.scalar(0.6)), sd.constant(Nd4j.scalar(0.9))))
                    .add(AttentionBalancing.coveragePenalty(sd, w, mask));
            sd.setLossVariables(loss);
            assertTrue(gradientsMatch(sd), "iterations " + iterations);
        }
    }

    @Test
    void gateGradientsPassChecks() {
        SameDiff sd = SameDiff.create();
        SDVariable logAlpha = sd.var("logalpha", Nd4j.createFromArray(0.4, -0.3));
        SDVariable heads = sd.var("heads", Nd4j.rand(DataType.DOUBLE, B, H, TQ, 3));
        SDVariable gate = AttentionBalancing.sampledGate(sd, logAlpha, sd.constant(Nd4j.createFromArray(0.3, 0.8)));
        SDVariable loss = sd.sum(AttentionBalancing.gateHeads(heads, gate).mul(2.0))
                .add(sd.mean(AttentionBalancing.gateOpenProbability(sd, logAlpha)));
        sd.setLossVariables(loss);
        assertTrue(gradientsMatch(sd));
    }

    /** ND4J's gradient check insists on double as the default data type while it runs. */
    static boolean gradientsMatch(SameDiff sd) {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            return GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-5, 1e-8, false, false);
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) s += v;
        return s;
    }

    private static double rowSum(INDArray w, int b, int h, int q) {
        double s = 0;
        for (int k = 0; k < TK; k++) s += w.getDouble(b, h, q, k);
        return s;
    }

    private static double columnSum(INDArray w, int b, int h, int k) {
        double s = 0;
        for (int q = 0; q < TQ; q++) s += w.getDouble(b, h, q, k);
        return s;
    }
}
