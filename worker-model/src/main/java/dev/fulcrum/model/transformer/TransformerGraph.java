package dev.fulcrum.model.transformer;

import dev.fulcrum.model.parameters.Init;
import dev.fulcrum.model.parameters.Parameters;
import static dev.fulcrum.model.transformer.GraphInputs.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.attention.AttentionBalancing;
import dev.fulcrum.model.attention.AttentionMask;
import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.attention.BalancedAttention.Kind;
import dev.fulcrum.model.attention.KnobInputs;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.transformer.DropoutMasks.Side;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Transformer encoder-decoder, top to bottom: tied token embeddings + sinusoidal positions, pre-norm
 * encoder blocks (balanced self-attention, FFN), pre-norm decoder blocks (causal self-attention, balanced
 * cross-attention, FFN), final norms, the output projection tied to the embeddings, and label-smoothed
 * cross-entropy plus the balancing penalties.
 *
 * <p>One builder makes the five graphs a model needs; all of them share the parameters of one
 * {@link Parameters} store: {@link Mode#TRAIN} (dropout, sampled gates, loss), {@link Mode#EVAL} (loss,
 * token NLL, per-head attention statistics and every layer's attention weights), {@link Mode#ENCODE} and
 * {@link Mode#CACHED_STEP} (one incremental decoder step: the newest token, with the earlier positions' self-attention
 * keys and values cached and the cross-attention keys and values the ENCODE graph projected; what beam search
 * runs) and {@link Mode#PREFIX_STEP} (one decoder step recomputing the whole
 * prefix: the uncached reference the cached step is tested against).
 */
public final class TransformerGraph {
    public enum Mode { TRAIN, EVAL, ENCODE, CACHED_STEP, PREFIX_STEP }

    /** The tied embedding / output-projection table {@code [V, D]}. */
    public static final String EMBEDDING = "embed.w";

    private final ModelConfig config;
    private final Parameters params;
    private final Mode mode;
    private final HeadPlan headPlan;
    private final SameDiff sd = sharedArrayGraph();
    private final DataType type;
    private final Map<String, SDVariable> statistics = new LinkedHashMap<>();
    private SDVariable penalties;
    private SDVariable lastCrossWeights;
    private SDVariable embeddingTable;
    private int sourceDropoutSites;
    private int targetDropoutSites;

    private TransformerGraph(ModelConfig config, Parameters params, Mode mode, HeadPlan headPlan) {
        this.config = config;
        this.params = params;
        this.mode = mode;
        this.headPlan = headPlan;
        this.type = params.dataType();
    }

    public static SameDiff build(ModelConfig config, Parameters params, Mode mode, HeadPlan headPlan) {
        return new TransformerGraph(config, params, mode, headPlan).define();
    }

    /**
     * A graph whose variables ARE the arrays given to it. SameDiff M2.1's default holder
     * (ThreadSafeArrayHolder) stores a per-device copy of every array it is given, so a graph would never see
     * parameters written into the shared flat vector after it was built (averaging, loading, a step): the
     * single-thread holder keeps the references. Each graph is used by one thread at a time (one model per
     * replica). The output cache of placeholder-free ops is off for the same reason.
     */
    static SameDiff sharedArrayGraph() {
        SameDiff sd = SameDiff.create();
        sd.setArrayHolders(new SingleThreadArrayHolder(), new SingleThreadArrayHolder(), false);
        sd.setEnableCache(false);
        return sd;
    }

    /** Names of all attention layers, in graph order: {@code enc0.self, ..., dec0.self, dec0.cross, ...}. */
    public static List<String> attentionLayers(ModelConfig config) {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < config.encoderLayers(); i++) {
            names.add("enc" + i + ".self");
        }
        for (int i = 0; i < config.decoderLayers(); i++) {
            names.add("dec" + i + ".self");
            names.add("dec" + i + ".cross");
        }
        return names;
    }

    /**
     * What layer {@code layer} of {@link #attentionLayers} attends over: encoder self-attention is
     * {@link Kind#SELF}, decoder self-attention {@link Kind#CAUSAL}, decoder cross-attention {@link Kind#CROSS}.
     *
     * @throws IllegalArgumentException if {@code layer} is not named like an attention layer
     */
    public static Kind attentionKind(String layer) {
        if (layer.matches("enc\\d+\\.self")) {
            return Kind.SELF;
        }
        if (layer.matches("dec\\d+\\.self")) {
            return Kind.CAUSAL;
        }
        if (layer.matches("dec\\d+\\.cross")) {
            return Kind.CROSS;
        }
        throw new IllegalArgumentException("'" + layer + "' is not the name of an attention layer"
                + " (encN.self, decN.self or decN.cross)");
    }

    /**
     * Name of the EVAL graph's output holding layer {@code layer}'s attention weights {@code [B, H, Tq, Tk]}
     * (computed only when asked for, like every output).
     */
    public static String attentionWeights(String layer) {
        return layer + ".weights";
    }

    private SameDiff define() {
        SDVariable source = sd.placeHolder(SOURCE, DataType.INT, -1, -1);
        SDVariable sourceMask = paddingMask(source);
        SDVariable knobs = sd.placeHolder(KNOBS, type, Knobs.SIZE);
        KnobInputs knobInputs = KnobInputs.of(knobs);
        penalties = sd.constant(Nd4j.scalar(type, 0.0));

        SDVariable encoded = null;
        if (mode == Mode.PREFIX_STEP) {
            encoded = sd.placeHolder(ENCODER_OUT, type, -1, config.modelDim());
        } else if (mode != Mode.CACHED_STEP) {
            SDVariable sourceTokens = embedSource();
            encoded = encoder(sourceTokens, source, sourceMask, knobInputs);
            if (mode == Mode.ENCODE) {
                sd.identity(ENCODER_OUT, encoded);
                defineSourceKeysValues(encoded, sd.shape(source));
                return sd;
            }
        }
        SDVariable targetIn = sd.placeHolder(TARGET_IN, DataType.INT, -1, -1);
        SDVariable targetMask = paddingMask(targetIn);
        SDVariable hidden = decoder(embedTarget(), targetIn, targetMask, encoded, source, sourceMask,
                knobInputs);
        if (mode == Mode.CACHED_STEP) {
            defineStepOutputs(hidden, lastCrossWeights == null ? null : sd.mean(lastCrossWeights, 1), sourceMask);
        } else if (mode == Mode.PREFIX_STEP) {
            defineLastPositionOutputs(hidden, targetIn, sourceMask);
        } else {
            defineLosses(hidden, project(hidden), targetMask);
        }
        return sd;
    }

    // ---- embeddings -------------------------------------------------------------------------------

    private SDVariable embedSource() {
        return embed(SOURCE_ROWS, SOURCE_POSITIONS, Side.SOURCE);
    }

    private SDVariable embedTarget() {
        return embed(TARGET_ROWS, TARGET_POSITIONS, Side.TARGET);
    }

    /**
     * Embedding rows × √D + positions. The rows are looked up outside the graph: SameDiff's gather gradient
     * is broken in M2.1 (drops repeated indices; fails on our shapes), so training feeds them as variables
     * and scatter-adds their gradient into the tied table (see TrainingStep); other graphs take them as input.
     */
    private SDVariable embed(String rowsName, String positionsName, Side side) {
        embeddingTable();
        SDVariable rows = mode == Mode.TRAIN
                ? sd.var(rowsName, Nd4j.zeros(type, 1, config.modelDim()))
                : sd.placeHolder(rowsName, type, -1, config.modelDim());
        SDVariable positions = sd.placeHolder(positionsName, type, -1, config.modelDim());
        return dropout(rows.mul(Math.sqrt(config.modelDim())).add(positions), side, config.modelDim());
    }

    private SDVariable embeddingTable() {
        if (embeddingTable == null) {
            embeddingTable = params.get(sd, EMBEDDING, new Init.Normal(Math.pow(config.modelDim(), -0.5)),
                    config.vocabSize(), config.modelDim());
        }
        return embeddingTable;
    }

    // ---- encoder and decoder ----------------------------------------------------------------------

    private SDVariable encoder(SDVariable x, SDVariable source, SDVariable sourceMask, KnobInputs knobs) {
        AttentionMask mask = AttentionMask.of(sd, sourceMask, sourceMask);
        SDVariable shape = sd.shape(source);
        for (int i = 0; i < config.encoderLayers(); i++) {
            String block = "enc" + i;
            if (headPlan.computes(block + ".self")) {
                x = x.add(dropout(attention(block + ".self", Kind.SELF, layerNorm(block + ".ln1", x), x, shape,
                        shape, mask, knobs), Side.SOURCE, config.modelDim()));
            }
            x = x.add(dropout(feedForward(block + ".ffn", layerNorm(block + ".ln2", x), Side.SOURCE),
                    Side.SOURCE, config.modelDim()));
        }
        return layerNorm("enc.ln", x);
    }

    private SDVariable decoder(SDVariable y, SDVariable targetIn, SDVariable targetMask, SDVariable encoded,
                               SDVariable source, SDVariable sourceMask, KnobInputs knobs) {
        AttentionMask selfMask = mode == Mode.CACHED_STEP
                ? AttentionMask.of(sd, targetMask, sd.placeHolder(CACHE_MASK, type, 1, -1))
                : AttentionMask.of(sd, targetMask, targetMask).causal(sd.placeHolder(CAUSAL, type, -1, -1));
        AttentionMask crossMask = AttentionMask.of(sd, targetMask, sourceMask);
        SDVariable targetShape = sd.shape(targetIn);
        SDVariable sourceShape = sd.shape(source);
        for (int i = 0; i < config.decoderLayers(); i++) {
            String block = "dec" + i;
            if (headPlan.computes(block + ".self")) {
                SDVariable normed = layerNorm(block + ".ln1", y);
                SDVariable attended = mode == Mode.CACHED_STEP
                        ? cachedSelfAttention(block + ".self", normed, targetShape, selfMask)
                        : attention(block + ".self", Kind.CAUSAL, normed, normed, targetShape, targetShape, selfMask,
                        knobs);
                y = y.add(dropout(attended, Side.TARGET, config.modelDim()));
            }
            if (headPlan.computes(block + ".cross")) {
                SDVariable normed = layerNorm(block + ".ln2", y);
                SDVariable attended = mode == Mode.CACHED_STEP
                        ? cachedCrossAttention(block + ".cross", normed, targetShape, crossMask)
                        : attention(block + ".cross", Kind.CROSS, normed, encoded, targetShape, sourceShape,
                        crossMask, knobs);
                y = y.add(dropout(attended, Side.TARGET, config.modelDim()));
            }
            y = y.add(dropout(feedForward(block + ".ffn", layerNorm(block + ".ln3", y), Side.TARGET),
                    Side.TARGET, config.modelDim()));
        }
        return layerNorm("dec.ln", y);
    }

    /** Self-attention reads its keys from the same normalised input as its queries. */
    private SDVariable attention(String name, Kind kind, SDVariable queries, SDVariable keysValues,
                                 SDVariable queryShape, SDVariable keyShape, AttentionMask mask, KnobInputs knobs) {
        if (kind == Kind.SELF) {
            keysValues = queries;
        }
        BalancedAttention layer = new BalancedAttention(sd, params, name, kind, config,
                headPlan.heads(name, config, mode == Mode.TRAIN));
        BalancedAttention.Result result = layer.apply(queries, keysValues, queryShape, keyShape, mask);
        if (mode == Mode.TRAIN) {
            penalties = penalties.add(layer.penalty(result, mask, knobs));
        }
        if (mode == Mode.EVAL) {
            layer.statistics(result, mask).forEach((stat, value) ->
                    statistics.put(stat.of(name), sd.identity(stat.of(name), value)));
            sd.identity(attentionWeights(name), result.weights());
        }
        if (kind == Kind.CROSS) {
            lastCrossWeights = result.weights();
        }
        return result.output();
    }

    /**
     * Causal self-attention of a {@link Mode#CACHED_STEP} graph: the newest position {@code [B, D]} over the cached
     * keys and values (placeholders) and its own; the extended cache is an output, for the next step.
     */
    private SDVariable cachedSelfAttention(String name, SDVariable newest, SDVariable newestShape,
                                           AttentionMask mask) {
        BalancedAttention.Heads heads = headPlan.heads(name, config, false);
        BalancedAttention.Step step = inferenceLayer(name, Kind.CAUSAL)
                .applyCached(newest, newestShape, cache(cachedKeys(name), heads), cache(cachedValues(name), heads),
                        mask);
        sd.identity(nextKeys(name), step.keys());
        sd.identity(nextValues(name), step.values());
        return step.result().output();
    }

    /**
     * The ENCODE graph's outputs {@link GraphInputs#sourceKeys} and {@link GraphInputs#sourceValues}: every computed
     * cross-attention layer's projection of the encoder output, which a {@link Mode#CACHED_STEP} graph takes as input.
     */
    private void defineSourceKeysValues(SDVariable encoded, SDVariable sourceShape) {
        for (String name : headPlan.computedLayers(config, Kind.CROSS)) {
            BalancedAttention.KeysValues projected = inferenceLayer(name, Kind.CROSS).project(encoded, sourceShape);
            sd.identity(sourceKeys(name), projected.keys());
            sd.identity(sourceValues(name), projected.values());
        }
    }

    /** Cross-attention of a {@link Mode#CACHED_STEP} graph, over the keys and values the ENCODE graph projected. */
    private SDVariable cachedCrossAttention(String name, SDVariable newest, SDVariable newestShape,
                                            AttentionMask mask) {
        BalancedAttention.Heads heads = headPlan.heads(name, config, false);
        BalancedAttention.Result result = inferenceLayer(name, Kind.CROSS).applyProjected(newest, newestShape,
                new BalancedAttention.KeysValues(cache(sourceKeys(name), heads), cache(sourceValues(name), heads)),
                mask);
        lastCrossWeights = result.weights();
        return result.output();
    }

    /** Layer {@code name} as graphs other than TRAIN compute it: expected (not sampled) gates. */
    private BalancedAttention inferenceLayer(String name, Kind kind) {
        return new BalancedAttention(sd, params, name, kind, config, headPlan.heads(name, config, false));
    }

    private SDVariable cache(String placeholder, BalancedAttention.Heads heads) {
        return sd.placeHolder(placeholder, type, -1, heads.count(), -1, heads.dim());
    }

    private SDVariable feedForward(String name, SDVariable x, Side side) {
        int d = config.modelDim();
        int f = config.ffnDim();
        SDVariable hidden = sd.nn().relu(x.mmul(params.get(sd, name + ".w1", new Init.Xavier(), d, f))
                .add(params.get(sd, name + ".b1", new Init.Constant(0), f)), 0);
        return dropout(hidden, side, f).mmul(params.get(sd, name + ".w2", new Init.Xavier(), f, d))
                .add(params.get(sd, name + ".b2", new Init.Constant(0), d));
    }

    /**
     * Fused layer normalisation: a hand-written one needs two broadcast multiplies whose gradients cost
     * ~75 ms each per step in ND4J M2.1 here, against ~27 ms for the fused layer_norm_bp.
     */
    private SDVariable layerNorm(String name, SDVariable x) {
        int d = config.modelDim();
        return sd.nn().layerNorm(x, params.get(sd, name + ".g", new Init.Constant(1), d),
                params.get(sd, name + ".b", new Init.Constant(0), d), false, 1);
    }

    /** Inverted dropout: the mask (0 or 1/keep) is fed, see {@link DropoutMasks}. */
    private SDVariable dropout(SDVariable x, Side side, int width) {
        if (mode != Mode.TRAIN || config.dropout() == 0) {
            return x;
        }
        int index = side == Side.SOURCE ? sourceDropoutSites++ : targetDropoutSites++;
        return x.mul(DropoutMasks.placeholder(sd, side, index, type, width));
    }

    private SDVariable paddingMask(SDVariable ids) {
        return sd.neq(ids, sd.constant(Nd4j.scalar(DataType.INT, 0))).castTo(type);
    }

    // ---- outputs ----------------------------------------------------------------------------------

    /**
     * Label-smoothed cross-entropy, mean over real target tokens. With q = (1-ε)·onehot + ε/V:
     * CE = logsumexp(z) − (1-ε)·z_y − ε·mean_v z_v, where z_y = h·W[y] uses looked-up rows of the tied table
     * (like the embedding) and mean_v z_v = h·mean(W), so only the log-sum-exp touches [tokens, V]. ND4J's
     * fused losses are unusable here: softmax_cross_entropy_loss took ~0.8 s per step, and the gradient of
     * sparse_softmax_cross_entropy_loss_with_logits ignores the incoming gradient (norm × token count).
     */
    private void defineLosses(SDVariable hidden, SDVariable logits, SDVariable targetMask) {
        SDVariable weights = targetMask.reshape(-1);
        SDVariable logNormalizer = AttentionBalancing.logSumExp(sd, logits, 1).reshape(-1);
        SDVariable targetLogit = sd.sum(hidden.mul(outputRows()), false, 1);
        SDVariable nll = logNormalizer.sub(targetLogit).mul(weights);
        SDVariable tokens = sd.sum(TOKENS, weights);
        SDVariable perToken = nll;
        double eps = config.labelSmoothing();
        if (eps > 0) {
            SDVariable meanLogit = sd.sum(hidden.mul(sd.mean(embeddingTable(), true, 0)), false, 1);
            perToken = nll.add(targetLogit.sub(meanLogit).mul(weights).mul(eps));
        }
        SDVariable loss = sd.identity(LOSS, sd.sum(perToken).div(tokens).add(penalties));
        if (mode == Mode.EVAL) {
            sd.sum(NLL, nll);
        }
        sd.setLossVariables(loss);
    }

    /** Tied-table rows of the target tokens {@code [B*Tt, D]}: a variable when training, input otherwise. */
    private SDVariable outputRows() {
        return mode == Mode.TRAIN
                ? sd.var(OUTPUT_ROWS, Nd4j.zeros(type, 1, config.modelDim()))
                : sd.placeHolder(OUTPUT_ROWS, type, -1, config.modelDim());
    }

    /** Logits over the vocabulary: the output projection tied to the embedding table. */
    private SDVariable project(SDVariable hidden) {
        return sd.mmul(hidden, embeddingTable(), false, true, false);
    }

    /**
     * Outputs of a decoder step: log-probabilities of the next token, and the last computed cross-attention
     * layer's weights (mean over heads, {@code [B, Ts]}). A model whose cross-attention was pruned away entirely
     * attends nowhere: zero weights.
     *
     * @param lastHidden   {@code [B, D]}, the decoder output at the newest position
     * @param lastCross    {@code [B, 1, Ts]}, or null when no cross-attention layer is computed
     */
    private void defineStepOutputs(SDVariable lastHidden, SDVariable lastCross, SDVariable sourceMask) {
        sd.nn().logSoftmax(LAST_LOG_PROBS, project(lastHidden));
        if (lastCross == null) {
            sd.identity(LAST_CROSS_ATTENTION, sourceMask.mul(0.0));
        } else {
            sd.squeeze(LAST_CROSS_ATTENTION, lastCross, 1);
        }
    }

    /** {@link #defineStepOutputs} at the last position of a whole-prefix {@link Mode#PREFIX_STEP} graph. */
    private void defineLastPositionOutputs(SDVariable hidden, SDVariable targetIn, SDVariable sourceMask) {
        SDVariable last = sd.sizeAt(targetIn, 1).sub(1).castTo(DataType.INT).reshape(1);
        SDVariable perPosition = sd.reshape(hidden, sd.concat(0, sd.shape(targetIn),
                sd.constant(Nd4j.createFromArray((long) config.modelDim()))));
        SDVariable lastHidden = sd.squeeze(sd.gather(perPosition, last, 1), 1);
        defineStepOutputs(lastHidden, lastCrossWeights == null ? null
                : sd.gather(sd.mean(lastCrossWeights, 1), last, 1), sourceMask);
    }
}
