package dev.fulcrum.model.transformer;

/** Placeholder and output names shared by the graph builder and the code that feeds and reads it. */
public final class GraphInputs {
    /** Source token ids {@code [B, Ts]} (INT), EOS-terminated, PAD-padded. */
    public static final String SOURCE = "src";
    /** Decoder input ids {@code [B, Tt]}: BOS + target. */
    public static final String TARGET_IN = "tgtin";
    /** Embedding-table rows of the source tokens {@code [B*Ts, D]} (a variable in training graphs). */
    public static final String SOURCE_ROWS = "srcrows";
    /** Embedding-table rows of the decoder input tokens {@code [B*Tt, D]}. */
    public static final String TARGET_ROWS = "tgtrows";
    /** Tied-table rows of the decoder target tokens {@code [B*Tt, D]} (for the label-smoothing terms). */
    public static final String OUTPUT_ROWS = "outrows";
    /** Sinusoidal positions, one row per source token {@code [B*Ts, D]}. */
    public static final String SOURCE_POSITIONS = "srcpos";
    /** Sinusoidal positions, one row per decoder token {@code [B*Tt, D]}. */
    public static final String TARGET_POSITIONS = "tgtpos";
    /** Causal bias {@code [Tt, Tt]}: 0 on and below the diagonal, masked above. */
    public static final String CAUSAL = "causal";
    /** The balancing knobs {@code [Knobs.SIZE]}. */
    public static final String KNOBS = "knobs";
    /** Encoder output {@code [B*Ts, D]}: an output of the ENCODE graph, fed to a whole-prefix PREFIX_STEP graph. */
    public static final String ENCODER_OUT = "encout";
    /**
     * Which of the cached self-attention keys a cached step may attend to {@code [1, t + 1]}: 1, except 0 for
     * the cache's first slot, a placeholder (see {@link #cachedKeys}).
     */
    public static final String CACHE_MASK = "cachemask";

    /** Outputs. */
    public static final String LOSS = "loss";
    public static final String NLL = "nll";
    public static final String TOKENS = "tokens";
    public static final String LAST_LOG_PROBS = "lastlogprobs";
    public static final String LAST_CROSS_ATTENTION = "lastcross";

    private GraphInputs() {
    }

    /**
     * Placeholder of a cached decoder step: the projected keys {@code [B, H, t, dh]} of self-attention layer
     * {@code layer} at the earlier positions, after a first slot that is never attended to (so that the first
     * step's cache is not empty: ND4J handles zero-length arrays badly).
     */
    public static String cachedKeys(String layer) {
        return layer + ".cachedkeys";
    }

    /** Like {@link #cachedKeys}, for the values. */
    public static String cachedValues(String layer) {
        return layer + ".cachedvalues";
    }

    /** Output of a cached decoder step: {@link #cachedKeys} with the newest position appended, for the next step. */
    public static String nextKeys(String layer) {
        return layer + ".nextkeys";
    }

    /** Like {@link #nextKeys}, for the values. */
    public static String nextValues(String layer) {
        return layer + ".nextvalues";
    }

    /**
     * Output of the ENCODE graph and placeholder of a cached decoder step: cross-attention layer {@code layer}'s
     * keys {@code [B, H, Ts, dh]}, projected from the encoder output once per sentence rather than every step.
     */
    public static String sourceKeys(String layer) {
        return layer + ".sourcekeys";
    }

    /** Like {@link #sourceKeys}, for the values. */
    public static String sourceValues(String layer) {
        return layer + ".sourcevalues";
    }
}
