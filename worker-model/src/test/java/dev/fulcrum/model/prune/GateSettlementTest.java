package dev.fulcrum.model.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.attention.AttentionBalancing;
import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.prune.PruningRule.Scope;
import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GateSettlementTest {
    @Test
    void theHeadsTheBudgetRemovesAreShutAndTheOthersFixedOpen() {
        TranslationModel model = GatedModels.model(3);
        HeadSelection expected = HeadSelection.choose(HeadGates.of(model.transformer()),
                new PruningRule(0.5, Scope.GLOBAL));

        HeadSelection open = GateSettlement.settle(model.transformer(), ones(model), new PruningRule(0.5, Scope.GLOBAL));

        assertEquals(expected, open, "the heads export would keep");
        assertEquals(12, open.keptTotal(), "16 of the 24 gates are open; the budget keeps 12 of them");
        for (HeadGates.Head head : HeadGates.of(model.transformer()).heads()) {
            boolean kept = open.kept().get(head.layer()).contains(head.index());
            assertEquals(kept ? GateSettlement.SETTLED_LOG_ALPHA : -GateSettlement.SETTLED_LOG_ALPHA, head.logAlpha(),
                    head.layer() + " head " + head.index());
            assertEquals(kept ? 1.0 : 0.0, head.gate());
        }
    }

    @Test
    void aPerLayerBudgetKeepsHalfOfEveryLayersOpenHeads() {
        TranslationModel model = GatedModels.model(3);
        HeadSelection open = GateSettlement.settle(model.transformer(), ones(model), new PruningRule(0.5, Scope.LAYER));
        open.kept().forEach((layer, heads) -> assertTrue(heads.size() <= 2, layer + " " + heads));
        assertEquals(List.of(), open.kept().get("dec0.cross"), "a layer whose gates were all closed stays closed");
    }

    @Test
    void onlyTheGatesAdamMomentsAreCleared() {
        TranslationModel model = GatedModels.model(3);
        Transformer transformer = model.transformer();
        float[] state = ones(model);

        GateSettlement.settle(transformer, state, new PruningRule(0.5, Scope.GLOBAL));

        long size = transformer.parameters().size();
        INDArray marks = Nd4j.zeros(transformer.parameters().dataType(), 1, size);
        GatedModels.LOG_ALPHA.keySet().forEach(layer -> transformer.parameters().viewsOf(marks)
                .get(BalancedAttention.parameterName(layer, BalancedAttention.GATE_LOG_ALPHA)).assign(1));
        float[] isGate = marks.toFloatVector();
        for (int i = 0; i < state.length; i++) {
            assertEquals(isGate[(int) (i % size)] == 1 ? 0f : 1f, state[i], "updater value " + i);
        }
        assertEquals(2 * 24, countZeros(state), "m and v of 24 gates");
    }

    @Test
    void settledGatesSampleExactlyZeroOrOneWhateverTheNoise() {
        double[] noise = {1e-6, 0.5, 1 - 1e-6};
        for (double logAlpha : new double[] {GateSettlement.SETTLED_LOG_ALPHA, -GateSettlement.SETTLED_LOG_ALPHA}) {
            SameDiff sd = SameDiff.create();
            double[] gates = AttentionBalancing.sampledGate(sd, sd.constant(Nd4j.valueArrayOf(3, logAlpha)),
                    sd.constant(Nd4j.createFromArray(noise))).eval().toDoubleVector();
            double expected = logAlpha > 0 ? 1 : 0;
            assertArrayEquals(new double[] {expected, expected, expected}, gates, 0.0, "log α " + logAlpha);
        }
    }

    @Test
    void settledMeansAnOpenProbabilityWithinOneInAMillionOfZeroOrOne() {
        assertTrue(GateSettlement.isSettled(1e-8));
        assertTrue(GateSettlement.isSettled(1.0));
        assertFalse(GateSettlement.isSettled(0.99), "a fresh gate (log α 3) is not settled");
        assertFalse(GateSettlement.isSettled(1e-4));
    }

    private static float[] ones(TranslationModel model) {
        float[] state = new float[(int) (2 * model.transformer().parameters().size())];
        Arrays.fill(state, 1f);
        return state;
    }

    private static long countZeros(float[] values) {
        long zeros = 0;
        for (float value : values) {
            zeros += value == 0 ? 1 : 0;
        }
        return zeros;
    }
}
