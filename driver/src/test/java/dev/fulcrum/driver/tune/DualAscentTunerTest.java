package dev.fulcrum.driver.tune;

import dev.fulcrum.driver.round.TunerDecision;
import static dev.fulcrum.driver.train.RoundReports.attention;
import static dev.fulcrum.driver.train.RoundReports.heads;
import static dev.fulcrum.driver.train.RoundReports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.config.Knobs;
import org.junit.jupiter.api.Test;

class DualAscentTunerTest {
    private static final double EPS = 1e-12;

    /** Band [0.1, 0.9]; weights entropy, coverage, gate. */
    private static Knobs knobs(double entropy, double coverage, double gate) {
        return new Knobs(entropy, 0.1, 0.9, coverage, gate);
    }

    private static Tuner tuner(String... overrides) {
        List<String> all = new ArrayList<>(List.of("tuner.policy=dual-ascent", "tuner.entropyRate=2",
                "tuner.entropyTarget=0.01", "tuner.coverageRate=1", "tuner.coverageTarget=0.25", "tuner.gateRate=0.5",
                "tuner.maxWeight=10", "tuner.lossTolerance=0.02", "tuner.backoff=0.5", "tuner.settleBelow=0"));
        all.addAll(List.of(overrides));
        return Tuner.of(RunConfig.load(null, all).tuner());
    }

    /** Encoder self-attention entropies, and a causal layer that reports gate openness only. */
    private static Map<String, double[]> entropies(double... values) {
        return attention("enc0.self.entropy", values, "dec0.self.gateOpen", heads(1, 1));
    }

    @Test
    void collapsedHeadsGetMoreEntropyWeight() {
        TunerDecision decision = tuner().decide(report(knobs(0.2, 0, 0), entropies(0.02, 0.04)));
        // mean distance below 0.1 = 0.07, violation 0.06, step 2·0.06
        assertEquals(0.32, decision.knobs().entropyWeight(), EPS);
        assertEquals("entropyWeight 0.2→0.32: entropy outside band [0.1, 0.9] 0.07 > tolerance 0.01",
                decision.reason());
    }

    @Test
    void uniformHeadsAboveTheHighEdgeGetMoreEntropyWeight() {
        TunerDecision decision = tuner().decide(report(knobs(0, 0, 0), entropies(0.99, 0.95, 0.5)));
        // distances 0.09, 0.05, 0 → mean 0.04666…, violation 0.03666…
        assertEquals(2 * (0.14 / 3 - 0.01), decision.knobs().entropyWeight(), EPS);
    }

    @Test
    void headsInsideTheBandLetTheEntropyWeightDecayToZeroAndNoFurther() {
        Tuner tuner = tuner();
        Knobs knobs = knobs(0.05, 0, 0);
        TunerDecision first = tuner.decide(report(knobs, entropies(0.5, 0.6)));
        assertEquals(0.03, first.knobs().entropyWeight(), EPS, "a step of 2·0.01 down");
        TunerDecision second = tuner.decide(report(first.knobs(), entropies(0.5, 0.6)));
        assertEquals(0.01, second.knobs().entropyWeight(), EPS);
        TunerDecision third = tuner.decide(report(second.knobs(), entropies(0.5, 0.6)));
        assertEquals(0.0, third.knobs().entropyWeight(), "clamped at 0, not negative");
        TunerDecision fourth = tuner.decide(report(third.knobs(), entropies(0.5, 0.6)));
        assertEquals(third.knobs(), fourth.knobs());
        assertEquals("no change: entropyWeight stays 0: entropy outside band [0.1, 0.9] 0 < tolerance 0.01",
                fourth.reason());
    }

    @Test
    void weightsStopAtMaxWeight() {
        TunerDecision decision = tuner("tuner.entropyRate=1000")
                .decide(report(knobs(9.5, 0, 0), entropies(0, 0)));
        assertEquals(10.0, decision.knobs().entropyWeight(), EPS);
    }

    @Test
    void coverageFollowsTheCrossAttentionUnderRunOnly() {
        Map<String, double[]> attention = attention("enc0.self.coverageUnderRun", heads(0.9, 0.9),
                "dec0.cross.coverageUnderRun", heads(0.3, 0.5), "dec1.cross.coverageUnderRun", heads(0.4, 0.4));
        TunerDecision up = tuner().decide(report(knobs(0, 1.0, 0), attention));
        assertEquals(1.15, up.knobs().coverageWeight(), EPS, "cross mean 0.4, target 0.25");
        assertEquals("coverageWeight 1→1.15: cross-attention coverage under-run 0.4 > target 0.25", up.reason());

        Map<String, double[]> covered = attention("enc0.self.coverageUnderRun", heads(0.9, 0.9),
                "dec0.cross.coverageUnderRun", heads(0.1, 0.2));
        assertEquals(0.9, tuner().decide(report(knobs(0, 1.0, 0), covered)).knobs().coverageWeight(), EPS);
    }

    @Test
    void globalHeadBudgetRaisesTheGateWeightWhileTooManyHeadsAreOpenAndLowersItBelow() {
        Tuner tuner = tuner("tuner.headBudget=0.5", "tuner.budgetScope=global");
        TunerDecision up = tuner.decide(report(knobs(0, 0, 0.1),
                attention("enc0.self.gateOpen", heads(0.9, 0.8), "dec0.self.gateOpen", heads(0.8, 0.74))));
        assertEquals(0.1 + 0.5 * (0.81 - 0.5), up.knobs().gateWeight(), EPS);
        assertEquals("gateWeight 0.1→0.255: open heads 0.81 > budget 0.5", up.reason());

        TunerDecision down = tuner.decide(report(knobs(0, 0, 0.1),
                attention("enc0.self.gateOpen", heads(0.3, 0.3), "dec0.self.gateOpen", heads(0.3, 0.3))));
        assertEquals(0.0, down.knobs().gateWeight(), EPS, "0.1 + 0.5·(0.3 − 0.5) = 0");
    }

    @Test
    void layerHeadBudgetFollowsTheMostOpenLayer() {
        // global mean 0.55 is under the budget 0.6, but dec0.cross is open 0.9
        Map<String, double[]> gates = attention("enc0.self.gateOpen", heads(0.2, 0.2),
                "dec0.cross.gateOpen", heads(0.9, 0.9));
        TunerDecision global = tuner("tuner.headBudget=0.6", "tuner.budgetScope=global")
                .decide(report(knobs(0, 0, 0.2), gates));
        assertTrue(global.knobs().gateWeight() < 0.2, global.reason());
        TunerDecision layer = tuner("tuner.headBudget=0.6", "tuner.budgetScope=layer")
                .decide(report(knobs(0, 0, 0.2), gates));
        assertEquals(0.2 + 0.5 * 0.3, layer.knobs().gateWeight(), EPS);
        assertEquals("gateWeight 0.2→0.35: open heads in dec0.cross 0.9 > budget 0.6", layer.reason());
    }

    @Test
    void gateWeightIsLeftAloneWithoutGatesOrWithoutABudget() {
        Map<String, double[]> gates = attention("enc0.self.gateOpen", heads(0.9, 0.9));
        assertEquals(0.2, tuner("tuner.headBudget=1.0").decide(report(knobs(0, 0, 0.2), gates)).knobs().gateWeight());
        assertEquals(0.2, tuner("tuner.headBudget=0.5")
                .decide(report(knobs(0, 0, 0.2), attention("enc0.self.entropy", heads(0.5)))).knobs().gateWeight(),
                "no gateOpen statistic: a model without head gates");
    }

    @Test
    void gatesAreSettledOnceTheBudgetsWorthOfHeadsIsPushedDown() {
        Tuner tuner = tuner("tuner.headBudget=0.5", "tuner.settleBelow=0.9");
        Map<String, double[]> oneTooFew = attention("enc0.self.gateOpen", heads(0.85, 0.95, 0.97, 0.97),
                "dec0.cross.gateOpen", heads(0.8, 0.96, 0.89, 0.93));
        TunerDecision notYet = tuner.decide(report(knobs(0, 0, 2.0), oneTooFew));
        assertFalse(notYet.settleGates(), "3 of 8 heads below 0.9, the budget removes 4");
        assertTrue(notYet.knobs().gateWeight() > 2.0, notYet.reason());

        Map<String, double[]> enough = attention("enc0.self.gateOpen", heads(0.85, 0.95, 0.87, 0.97),
                "dec0.cross.gateOpen", heads(0.8, 0.96, 0.89, 0.93));
        TunerDecision settle = tuner.decide(report(knobs(0, 0, 2.0), enough));
        assertTrue(settle.settleGates());
        assertEquals(0.0, settle.knobs().gateWeight(), "settled gates need no penalty");
        assertEquals("settle gates: 4 of 8 heads open less than 0.9, the budget 0.5 removes 4: the least open shut "
                + "for good, the rest fixed open; gateWeight 2→0", settle.reason());
    }

    @Test
    void settledGatesAreNeitherSettledAgainNorTuned() {
        Map<String, double[]> settled = attention("enc0.self.gateOpen", heads(1e-8, 1.0, 1.0, 1e-8),
                "dec0.cross.gateOpen", heads(1.0, 1e-8, 1e-8, 1.0));
        TunerDecision decision = tuner("tuner.headBudget=0.5", "tuner.settleBelow=0.9")
                .decide(report(knobs(0, 0, 0), settled));
        assertFalse(decision.settleGates());
        assertEquals(knobs(0, 0, 0), decision.knobs(), decision.reason());
    }

    @Test
    void aPerLayerBudgetCountsTheHeadsEveryLayerGivesUp() {
        // budget 0.7 keeps floor(0.7·4) = 2 of each layer's 4 heads: 4 removed in all (globally floor(0.7·8) = 5: 3)
        Map<String, double[]> threeDown = attention("enc0.self.gateOpen", heads(0.5, 0.5, 0.5, 0.97),
                "dec0.cross.gateOpen", heads(0.96, 0.96, 0.96, 0.93));
        assertTrue(tuner("tuner.headBudget=0.7", "tuner.budgetScope=global", "tuner.settleBelow=0.9")
                .decide(report(knobs(0, 0, 1), threeDown)).settleGates());
        assertFalse(tuner("tuner.headBudget=0.7", "tuner.budgetScope=layer", "tuner.settleBelow=0.9")
                .decide(report(knobs(0, 0, 1), threeDown)).settleGates());
    }

    @Test
    void settleBelowZeroNeverSettles() { // the other tests' default, so that they see the dual step alone
        Map<String, double[]> shut = attention("enc0.self.gateOpen", heads(0.01, 0.01, 0.01, 0.01));
        TunerDecision decision = tuner("tuner.headBudget=0.5", "tuner.settleBelow=0")
                .decide(report(knobs(0, 0, 1), shut));
        assertFalse(decision.settleGates());
        assertEquals(0.755, decision.knobs().gateWeight(), EPS, "the dual step 1 + 0.5·(0.01 − 0.5)");
    }

    @Test
    void aRateOfZeroKeepsItsKnobFixedWhileTheOthersMove() {
        Map<String, double[]> attention = attention("enc0.self.entropy", heads(0.0, 0.0),
                "dec0.cross.coverageUnderRun", heads(0.9));
        TunerDecision decision = tuner("tuner.entropyRate=0").decide(report(knobs(0.3, 0.3, 0), attention));
        assertEquals(0.3, decision.knobs().entropyWeight());
        assertTrue(decision.knobs().coverageWeight() > 0.3);
        assertFalse(decision.reason().contains("entropyWeight"), decision.reason());
    }

    @Test
    void aWorseValidationLossBacksOffEveryTunedWeightInsteadOfAscending() {
        Map<String, double[]> collapsed = attention("enc0.self.entropy", heads(0.0, 0.0),
                "dec0.cross.coverageUnderRun", heads(0.9));
        Tuner tuner = tuner("tuner.coverageRate=0");
        TunerDecision backOff = tuner.decide(report(knobs(0.4, 0.3, 0), collapsed, 2.1, 2.0));
        assertEquals(0.2, backOff.knobs().entropyWeight(), EPS);
        assertEquals(0.3, backOff.knobs().coverageWeight(), "rate 0: not tuned, not backed off");
        assertEquals("back-off: validNll 2.1 > best 2 by more than 2%: entropyWeight 0.4→0.2", backOff.reason());

        TunerDecision withinTolerance = tuner.decide(report(knobs(0.4, 0.3, 0), collapsed, 2.03, 2.0));
        assertTrue(withinTolerance.knobs().entropyWeight() > 0.4, withinTolerance.reason());
    }

    @Test
    void aWorseLossWithNothingToLowerSaysSo() {
        TunerDecision decision = tuner().decide(report(knobs(0, 0, 0), entropies(0.0), 3.0, 2.0));
        assertEquals(knobs(0, 0, 0), decision.knobs());
        assertTrue(decision.reason().startsWith("no change: back-off"), decision.reason());
    }

    @Test
    void everyMovedKnobIsNamedInTheReason() {
        Map<String, double[]> attention = attention("enc0.self.entropy", heads(0.0), "enc0.self.gateOpen",
                heads(0.99), "dec0.cross.coverageUnderRun", heads(0.9));
        TunerDecision decision = tuner("tuner.headBudget=0.5").decide(report(knobs(0, 0, 0), attention));
        assertTrue(decision.reason().matches("entropyWeight 0→.*; coverageWeight 0→.*; gateWeight 0→.*"),
                decision.reason());
    }

    @Test
    void fixedPolicyNeverMoves() {
        Tuner fixed = Tuner.of(RunConfig.load(null, List.of("tuner.policy=fixed")).tuner());
        Knobs knobs = knobs(0.4, 0.3, 0.2);
        TunerDecision decision = fixed.decide(report(knobs, attention("enc0.self.entropy", heads(0.0),
                "dec0.cross.coverageUnderRun", heads(0.9)), 5.0, 1.0));
        assertEquals(knobs, decision.knobs());
        assertEquals("fixed", fixed.policy());
        assertInstanceOf(DualAscentTuner.class, Tuner.of(RunConfig.defaults().tuner()), "the default policy");
    }

    @Test
    void bestLossSoFarIgnoresANonFiniteLoss() {
        assertEquals(1.5, report(knobs(0, 0, 0), Map.of(), 1.5, 2.0).bestValidNll());
        assertEquals(2.0, report(knobs(0, 0, 0), Map.of(), 2.5, 2.0).bestValidNll());
        assertEquals(2.0, report(knobs(0, 0, 0), Map.of(), Double.NaN, 2.0).bestValidNll());
    }
}
