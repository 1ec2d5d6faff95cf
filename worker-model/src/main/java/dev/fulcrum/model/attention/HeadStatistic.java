package dev.fulcrum.model.attention;

import java.util.Locale;
import java.util.Optional;

/**
 * The per-head statistics an attention layer reports, one value per head. Graph outputs, metrics.jsonl and the
 * run report name them {@code layer.key} (e.g. {@code enc0.self.entropy}); this enum is the one list of keys
 * that the model, the tuner and the report share.
 */
public enum HeadStatistic {
    /** Normalised entropy of the head's attention rows: 0 attends to one token, 1 uniformly. */
    ENTROPY,
    /** How far the column sums are from even (Sinkhorn balance). */
    COLUMN_DEVIATION,
    /** Source tokens left uncovered by a cross-attention head. */
    COVERAGE_UNDER_RUN,
    /** Attention mass on the first key (an attention sink). */
    FIRST_POSITION_MASS,
    /** Probability that the head's gate is open (head-gated models only). */
    GATE_OPEN;

    /** The constant's name in lower camel case ({@code COVERAGE_UNDER_RUN} → {@code coverageUnderRun}). */
    public String key() {
        String[] words = name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder key = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            key.append(Character.toUpperCase(words[i].charAt(0))).append(words[i], 1, words[i].length());
        }
        return key.toString();
    }

    /** The name of this statistic of {@code layer}, as a graph output and in metrics.jsonl. */
    public String of(String layer) {
        return layer + "." + key();
    }

    /** Whether {@code name} ({@code layer.key}) is this statistic of some layer. */
    public boolean names(String name) {
        return name.endsWith("." + key());
    }

    /** The layer part of {@code name}, when it names this statistic. */
    public Optional<String> layerOf(String name) {
        return names(name) ? Optional.of(name.substring(0, name.length() - key().length() - 1)) : Optional.empty();
    }
}
