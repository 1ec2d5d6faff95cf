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
    /** Encoder output fed to a decoder-step graph {@code [B*Ts, D]}. */
    public static final String ENCODER_OUT = "encout";

    /** Outputs. */
    public static final String LOSS = "loss";
    public static final String NLL = "nll";
    public static final String TOKENS = "tokens";
    public static final String LAST_LOG_PROBS = "lastlogprobs";
    public static final String LAST_CROSS_ATTENTION = "lastcross";

    private GraphInputs() {
    }
}
