package dev.fulcrum.driver.tune;

import dev.fulcrum.driver.round.TunerDecision;
import dev.fulcrum.driver.round.RoundReport;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.DoubleStream;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.prune.GateSettlement;
import dev.fulcrum.model.prune.PruningRule;

/**
 * Dual ascent on the balancing weights (docs/design.md, "The tuner"). Each tuned weight λ is the multiplier of a
 * constraint "measured ≤ target" and takes, after every round, the step
 * λ ← clamp(λ + η·(measured − target), 0, tuner.maxWeight): more entropy penalty while heads leave the
 * entropy band, more coverage penalty while cross-attention leaves source tokens uncovered, more gate
 * penalty while more heads are open than the budget, and less of each once its constraint holds. When the
 * validation loss is worse than the best so far by more than {@code tuner.lossTolerance}, every tuned weight
 * is multiplied by {@code tuner.backoff} instead. A weight is tuned when its rate is above 0 and its
 * statistic exists (the gate weight also needs a head budget below 1 and gates not yet settled).
 *
 * <p>Head gates are settled once at least as many heads as the budget removes are open less than
 * {@code tuner.settleBelow}: the decision then asks for {@link dev.fulcrum.model.prune.GateSettlement} and sets
 * the gate weight to 0, which the settled gates no longer need.
 */
final class DualAscentTuner implements Tuner {
    private final RunConfig.TunerSettings settings;

    DualAscentTuner(RunConfig.TunerSettings settings) {
        this.settings = settings;
    }

    @Override
    public String policy() {
        return RunConfig.TunerSettings.DUAL_ASCENT;
    }

    @Override
    public TunerDecision decide(RoundReport report) {
        List<Constraint> constraints = constraints(report);
        Optional<String> settlement = settlementDue(report);
        if (settlement.isPresent()) {
            return settle(report, constraints, settlement.get());
        }
        if (constraints.isEmpty()) {
            return new TunerDecision(report.knobs(), "no change: no weight is tuned (every rate is 0, no statistic "
                    + "to steer by, or no head budget)");
        }
        return worsened(report) ? backOff(report, constraints) : ascend(report.knobs(), constraints);
    }

    /** The three weights the tuner may move. */
    private enum Weight {
        ENTROPY("entropyWeight"), COVERAGE("coverageWeight"), GATE("gateWeight");

        private final String key;

        Weight(String key) {
            this.key = key;
        }

        double of(Knobs knobs) {
            return switch (this) {
                case ENTROPY -> knobs.entropyWeight();
                case COVERAGE -> knobs.coverageWeight();
                case GATE -> knobs.gateWeight();
            };
        }

        Knobs with(Knobs k, double weight) {
            return switch (this) {
                case ENTROPY -> k.withEntropyWeight(weight);
                case COVERAGE -> k.withCoverageWeight(weight);
                case GATE -> k.withGateWeight(weight);
            };
        }
    }

    /** One tuned weight's constraint "measured ≤ target", as measured this round, with its step size. */
    private record Constraint(Weight weight, double rate, String measure, double measured, String bound,
                              double target) {
        double violation() {
            return measured - target;
        }

        /** e.g. "open heads 0.81 > budget 0.5". */
        String describe() {
            String relation = measured > target ? ">" : measured < target ? "<" : "=";
            return measure + " " + figure(measured) + " " + relation + " " + bound + " " + figure(target);
        }
    }

    private List<Constraint> constraints(RoundReport report) {
        AttentionMeasures measures = new AttentionMeasures(report.attention());
        Knobs knobs = report.knobs();
        List<Constraint> constraints = new ArrayList<>();
        if (settings.entropyRate() > 0) {
            OptionalDouble outside = measures.entropyOutsideBand(knobs.entropyLow(), knobs.entropyHigh());
            outside.ifPresent(value -> constraints.add(new Constraint(Weight.ENTROPY, settings.entropyRate(),
                    "entropy outside band [" + figure(knobs.entropyLow()) + ", " + figure(knobs.entropyHigh()) + "]",
                    value, "tolerance", settings.entropyTarget())));
        }
        if (settings.coverageRate() > 0) {
            measures.crossCoverageUnderRun().ifPresent(value -> constraints.add(new Constraint(Weight.COVERAGE,
                    settings.coverageRate(), "cross-attention coverage under-run", value, "target",
                    settings.coverageTarget())));
        }
        if (settings.gateRate() > 0 && settings.hasHeadBudget() && !settled(measures)) {
            boolean perLayer = RunConfig.TunerSettings.LAYER.equals(settings.budgetScope());
            Optional<AttentionMeasures.Measure> open = perLayer ? measures.mostOpenLayer() : measures.openHeads();
            open.ifPresent(measure -> constraints.add(new Constraint(Weight.GATE, settings.gateRate(),
                    perLayer ? "open heads in " + measure.where() : "open heads", measure.value(), "budget",
                    settings.headBudget())));
        }
        return constraints;
    }

    /** Why the gates are to be settled now, or empty: no budget, no gates, settled already, or not yet due. */
    private Optional<String> settlementDue(RoundReport report) {
        Map<String, double[]> openness = new AttentionMeasures(report.attention()).gateOpenness();
        if (settings.settleBelow() == 0 || !settings.hasHeadBudget() || openness.isEmpty()
                || settled(new AttentionMeasures(report.attention()))) {
            return Optional.empty();
        }
        int heads = openness.values().stream().mapToInt(layer -> layer.length).sum();
        int removed = heads - allowed(openness);
        long below = openness.values().stream().flatMapToDouble(DoubleStream::of)
                .filter(open -> open < settings.settleBelow()).count();
        if (below < removed) {
            return Optional.empty();
        }
        return Optional.of("settle gates: " + below + " of " + heads + " heads open less than "
                + figure(settings.settleBelow()) + ", the budget " + figure(settings.headBudget()) + " removes "
                + removed + ": the least open shut for good, the rest fixed open");
    }

    /** Heads the budget keeps in its scope, summed over layers for a per-layer budget. */
    private int allowed(Map<String, double[]> openness) {
        PruningRule rule = settings.pruningRule();
        return rule.scope() == PruningRule.Scope.LAYER
                ? openness.values().stream().mapToInt(layer -> rule.allowed(layer.length)).sum()
                : rule.allowed(openness.values().stream().mapToInt(layer -> layer.length).sum());
    }

    private static boolean settled(AttentionMeasures measures) {
        Map<String, double[]> openness = measures.gateOpenness();
        return !openness.isEmpty() && openness.values().stream().flatMapToDouble(DoubleStream::of)
                .allMatch(GateSettlement::isSettled);
    }

    /** Settles the gates, drops the gate weight, and moves the other tuned weights as usual. */
    private TunerDecision settle(RoundReport report, List<Constraint> constraints, String why) {
        List<Constraint> others = constraints.stream().filter(c -> c.weight() != Weight.GATE).toList();
        TunerDecision rest = others.isEmpty() ? new TunerDecision(report.knobs(), "")
                : worsened(report) ? backOff(report, others) : ascend(report.knobs(), others);
        double gate = report.knobs().gateWeight();
        String reason = why + (gate == 0 ? "" : "; " + change(Weight.GATE, gate, 0))
                + (rest.reason().isEmpty() ? "" : "; " + rest.reason());
        return new TunerDecision(Weight.GATE.with(rest.knobs(), 0), reason, true);
    }

    private boolean worsened(RoundReport report) {
        double best = report.bestValidNllBefore();
        return Double.isFinite(report.validNll()) && Double.isFinite(best)
                && report.validNll() > best * (1 + settings.lossTolerance());
    }

    private TunerDecision ascend(Knobs knobs, List<Constraint> constraints) {
        Knobs next = knobs;
        List<String> moved = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (Constraint constraint : constraints) {
            double old = constraint.weight().of(knobs);
            double stepped = Math.min(settings.maxWeight(),
                    Math.max(0, old + constraint.rate() * constraint.violation()));
            if (stepped != old) {
                next = constraint.weight().with(next, stepped);
                moved.add(change(constraint.weight(), old, stepped) + ": " + constraint.describe());
            } else {
                kept.add(constraint.weight().key + " stays " + figure(old) + ": " + constraint.describe());
            }
        }
        return new TunerDecision(next, moved.isEmpty() ? "no change: " + String.join("; ", kept) : String.join("; ", moved));
    }

    private TunerDecision backOff(RoundReport report, List<Constraint> constraints) {
        String why = "back-off: validNll " + figure(report.validNll()) + " > best "
                + figure(report.bestValidNllBefore()) + " by more than " + figure(100 * settings.lossTolerance()) + "%";
        Knobs next = report.knobs();
        List<String> moved = new ArrayList<>();
        for (Constraint constraint : constraints) {
            double old = constraint.weight().of(next);
            double lowered = old * settings.backoff();
            if (lowered != old) {
                next = constraint.weight().with(next, lowered);
                moved.add(change(constraint.weight(), old, lowered));
            }
        }
        return new TunerDecision(next, moved.isEmpty() ? "no change: " + why + ", but no tuned weight to lower"
                : why + ": " + String.join(", ", moved));
    }

    private static String change(Weight weight, double old, double updated) {
        return weight.key + " " + figure(old) + "→" + figure(updated);
    }

    /** Three significant digits, no exponent, no trailing zeros: 0.1, 0.143, 2.5, 0. */
    static String figure(double value) {
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
