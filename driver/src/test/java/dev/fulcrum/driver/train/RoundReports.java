package dev.fulcrum.driver.train;

import dev.fulcrum.driver.round.RoundReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.config.Knobs;

/** Round reports made by hand for the tuner and the listeners: only knobs, losses and attention matter. */
public final class RoundReports {
    private RoundReports() {
    }

    /** Round 1 (no earlier loss) with these knobs and attention statistics. */
    public static RoundReport report(Knobs knobs, Map<String, double[]> attention) {
        return report(knobs, attention, 2.0, Double.POSITIVE_INFINITY);
    }

    public static RoundReport report(Knobs knobs, Map<String, double[]> attention, double validNll,
                                     double bestValidNllBefore) {
        return new RoundReport(1, 10, 20, 3.0, 1000, 1.0, 0.1, validNll, Double.NaN, Double.NaN, List.of(),
                attention, knobs, List.of(), 1.0, bestValidNllBefore);
    }

    /** Statistics as {@code Evaluator} reports them: pairs of "layer.statistic", per-head values. */
    public static Map<String, double[]> attention(Object... nameThenHeads) {
        Map<String, double[]> attention = new LinkedHashMap<>();
        for (int i = 0; i < nameThenHeads.length; i += 2) {
            attention.put((String) nameThenHeads[i], (double[]) nameThenHeads[i + 1]);
        }
        return attention;
    }

    public static double[] heads(double... values) {
        return values;
    }
}
