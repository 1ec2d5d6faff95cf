package dev.fulcrum.driver.tune;

import dev.fulcrum.model.attention.HeadStatistic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What the tuner measures in a round's attention statistics ("layer.statistic" → per-head values, as
 * {@code Evaluator} reports them; layers are named {@code encN.self}, {@code decN.self}, {@code decN.cross}).
 * Causal decoder self-attention reports only {@code gateOpen}, and {@code gateOpen} exists only with head
 * gates, so every measure is empty when its statistic is absent. Non-finite values are ignored.
 */
public record AttentionMeasures(Map<String, double[]> attention) {
    private static final String CROSS_LAYER_SUFFIX = ".cross";

    /** A measured value and where: "all heads" or the layer it was found in. */
    public record Measure(double value, String where) {
    }

    /**
     * Mean over the heads that report entropy (all non-causal ones) of how far each head's normalised entropy
     * lies outside [low, high]; 0 for a head inside the band.
     */
    public OptionalDouble entropyOutsideBand(double low, double high) {
        return values(HeadStatistic.ENTROPY::names).stream()
                .mapToDouble(entropy -> Math.max(0, Math.max(low - entropy, entropy - high)))
                .average();
    }

    /** Mean coverage under-run over the cross-attention heads. */
    public OptionalDouble crossCoverageUnderRun() {
        return values(name -> HeadStatistic.COVERAGE_UNDER_RUN.layerOf(name).filter(layer -> layer.endsWith(CROSS_LAYER_SUFFIX)).isPresent()).stream()
                .mapToDouble(Double::doubleValue).average();
    }

    /** Mean gate openness over all gated heads. */
    public Optional<Measure> openHeads() {
        OptionalDouble mean = values(HeadStatistic.GATE_OPEN::names).stream()
                .mapToDouble(Double::doubleValue).average();
        return mean.isPresent() ? Optional.of(new Measure(mean.getAsDouble(), "all heads")) : Optional.empty();
    }

    /** The layer whose heads are open the most, by mean gate openness. */
    public Optional<Measure> mostOpenLayer() {
        Map<String, Double> byLayer = new TreeMap<>();
        gateOpenness().forEach((layer, heads) -> finite(heads).stream().mapToDouble(Double::doubleValue).average()
                .ifPresent(mean -> byLayer.put(layer, mean)));
        return byLayer.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> new Measure(e.getValue(), e.getKey()));
    }

    /** Gate openness (probability of a non-zero gate) of every gated head, layer → heads; empty without gates. */
    public Map<String, double[]> gateOpenness() {
        Map<String, double[]> byLayer = new TreeMap<>();
        attention.forEach((name, heads) -> HeadStatistic.GATE_OPEN.layerOf(name)
                .ifPresent(layer -> byLayer.put(layer, heads)));
        return byLayer;
    }

    private List<Double> values(Predicate<String> names) {
        List<Double> values = new ArrayList<>();
        attention.forEach((name, heads) -> {
            if (names.test(name)) {
                values.addAll(finite(heads));
            }
        });
        return values;
    }

    private static List<Double> finite(double[] heads) {
        List<Double> values = new ArrayList<>();
        for (double value : heads) {
            if (Double.isFinite(value)) {
                values.add(value);
            }
        }
        return values;
    }
}
