package dev.fulcrum.model.attention;

import java.util.EnumMap;
import java.util.Map;

import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.parameters.Init;
import dev.fulcrum.model.parameters.Parameters;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One multi-head attention-balancing layer: projections, per-head temperature, optional head gates, and
 * the normalisation chosen by the configuration ({@link AttentionBalancing} holds the math). Activations are
 * token-major 2-D {@code [B*T, D]}; heads are split only around the score computation.
 */
public final class BalancedAttention {
    /**
     * What the layer attends over. Only encoder self-attention can be Sinkhorn-balanced: a column step couples
     * all queries of a layer, so in causal self-attention or cross-attention a target position would see later
     * target words through their queries (a teacher-forced leak that decoding cannot reproduce).
     */
    public enum Kind { SELF, CAUSAL, CROSS }


    /** Initial gate log-α: gates start open (P(open) ~ 0.95) so that pruning is something the penalty earns. */
    public static final double INITIAL_GATE_LOG_ALPHA = 3.0;

    /**
     * Parameters of a layer, named {@link #parameterName}: projections {@code wq, wk, wv [D, H*dh]} (head h is
     * columns {@code h*dh .. h*dh+dh-1}), {@code wo [H*dh, D]} (head h is the same block of rows), and per head
     * {@code logtau [H]} and, when gated, {@code logalpha [H]}.
     */
    public static final String QUERY = "wq";
    public static final String KEY = "wk";
    public static final String VALUE = "wv";
    public static final String OUTPUT = "wo";
    public static final String LOG_TEMPERATURE = "logtau";
    public static final String GATE_LOG_ALPHA = "logalpha";

    /** Head-level settings of one layer at graph-build time. */
    public record Heads(int count, int dim, boolean gated, boolean sampleGates) {
    }

    private final SameDiff sd;
    private final Parameters params;
    private final String name;
    private final Kind kind;
    private final ModelConfig config;
    private final Heads heads;

    public BalancedAttention(SameDiff sd, Parameters params, String name, Kind kind, ModelConfig config,
                             Heads heads) {
        this.sd = sd;
        this.params = params;
        this.name = name;
        this.kind = kind;
        this.config = config;
        this.heads = heads;
    }

    /** Output of the layer, its attention weights and the gate values actually applied. */
    public record Result(SDVariable output, SDVariable weights, SDVariable gate) {
    }

    /**
     * @param queries     {@code [B*Tq, D]}
     * @param keysValues  {@code [B*Tk, D]}
     * @param queryShape  {@code [B, Tq]} of the query token ids, as a LONG vector (dynamic sizes)
     * @param keyShape    {@code [B, Tk]} of the key token ids
     */
    public Result apply(SDVariable queries, SDVariable keysValues, SDVariable queryShape, SDVariable keyShape,
                        AttentionMask mask) {
        // Queries first: the order parameters are declared in is the order they are initialised in, so it is
        // part of what a seed means.
        SDVariable query = project(QUERY, queries, queryShape);
        KeysValues projected = project(keysValues, keyShape);
        return attend(query, projected.keys(), projected.values(), mask);
    }

    /** Projected keys and values, each {@code [B, H, Tk, dh]}. */
    public record KeysValues(SDVariable keys, SDVariable values) {
    }

    /** The keys and values of {@code keysValues [B*Tk, D]}: what cross-attention computes once per sentence. */
    public KeysValues project(SDVariable keysValues, SDVariable keyShape) {
        return new KeysValues(project(KEY, keysValues, keyShape), project(VALUE, keysValues, keyShape));
    }

    /** {@link #apply} over keys and values already projected (by {@link #project(SDVariable, SDVariable)}). */
    public Result applyProjected(SDVariable queries, SDVariable queryShape, KeysValues projected,
                                 AttentionMask mask) {
        return attend(project(QUERY, queries, queryShape), projected.keys(), projected.values(), mask);
    }

    /** The result of one cached step, and the keys and values to cache for the next one. */
    public record Step(Result result, SDVariable keys, SDVariable values) {
    }

    /**
     * One incremental decoding step of causal self-attention: the newest position's query attends over the
     * cached keys and values of the earlier positions and its own. Exact for softmax, which normalises each
     * query's row alone (causal layers are never Sinkhorn-balanced, see {@link Kind}).
     *
     * @param newest      {@code [B, D]}, the newest position of each row
     * @param newestShape {@code [B, 1]}
     * @param keyCache    {@code [B, H, t, dh]}, the projected keys of the earlier positions
     * @param valueCache  {@code [B, H, t, dh]}
     * @param mask        over the {@code t + 1} keys
     */
    public Step applyCached(SDVariable newest, SDVariable newestShape, SDVariable keyCache, SDVariable valueCache,
                            AttentionMask mask) {
        SDVariable query = project(QUERY, newest, newestShape);
        SDVariable keys = sd.concat(2, keyCache, project(KEY, newest, newestShape));
        SDVariable values = sd.concat(2, valueCache, project(VALUE, newest, newestShape));
        return new Step(attend(query, keys, values, mask), keys, values);
    }

    /** {@code [B*T, D]} through projection {@code which} ({@link #QUERY}, {@link #KEY}, {@link #VALUE}), in heads. */
    private SDVariable project(String which, SDVariable x, SDVariable idsShape) {
        return splitHeads(x.mmul(param(which, new Init.Xavier(), config.modelDim(), heads.count() * heads.dim())),
                idsShape);
    }

    /** Heads {@code q [B,H,Tq,dh]}, {@code k, v [B,H,Tk,dh]} → the layer's result. */
    private Result attend(SDVariable q, SDVariable k, SDVariable v, AttentionMask mask) {
        int inner = heads.count() * heads.dim();
        SDVariable logits = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(heads.dim()));
        logits = AttentionBalancing.applyTemperature(sd, logits,
                param(LOG_TEMPERATURE, new Init.Constant(0.0), heads.count()));
        SDVariable weights = normalize(logits, mask);

        SDVariable context = sd.mmul(weights, v);
        SDVariable gate = null;
        if (heads.gated()) {
            gate = gate();
            context = AttentionBalancing.gateHeads(context, gate);
        }
        SDVariable merged = sd.permute(context, 0, 2, 1, 3).reshape(-1, inner);
        return new Result(merged.mmul(param(OUTPUT, new Init.Xavier(), inner, config.modelDim())), weights, gate);
    }

    /** Per-head statistics of this layer: name → {@code [H]}. Causal layers report gate openness only. */
    public Map<HeadStatistic, SDVariable> statistics(Result result, AttentionMask mask) {
        Map<HeadStatistic, SDVariable> stats = new EnumMap<>(HeadStatistic.class);
        if (kind != Kind.CAUSAL) {
            stats.put(HeadStatistic.ENTROPY, AttentionBalancing.normalizedEntropy(sd, result.weights(), mask));
            stats.put(HeadStatistic.COLUMN_DEVIATION, AttentionBalancing.columnDeviation(sd, result.weights(), mask));
            stats.put(HeadStatistic.COVERAGE_UNDER_RUN, AttentionBalancing.coverageUnderRun(sd, result.weights(), mask));
            stats.put(HeadStatistic.FIRST_POSITION_MASS, AttentionBalancing.firstPositionMass(sd, result.weights(), mask));
        }
        if (heads.gated()) {
            stats.put(HeadStatistic.GATE_OPEN, AttentionBalancing.gateOpenProbability(sd, logAlpha()));
        }
        return stats;
    }

    /** Balancing penalty of this layer, weighted by the knobs (see {@link dev.fulcrum.model.config.Knobs}). */
    public SDVariable penalty(Result result, AttentionMask mask, KnobInputs knobs) {
        SDVariable total = sd.constant(Nd4j.scalar(params.dataType(), 0.0));
        if (kind != Kind.CAUSAL) {
            SDVariable entropy = AttentionBalancing.normalizedEntropy(sd, result.weights(), mask);
            total = total.add(knobs.entropyWeight().mul(
                    AttentionBalancing.entropyBandPenalty(sd, entropy, knobs.entropyLow(), knobs.entropyHigh())));
        }
        if (kind == Kind.CROSS) {
            total = total.add(knobs.coverageWeight().mul(
                    AttentionBalancing.coveragePenalty(sd, result.weights(), mask)));
        }
        if (heads.gated()) {
            SDVariable weight = kind == Kind.SELF ? knobs.gateWeight()
                    : knobs.gateWeight().mul(knobs.decoderGateScale());
            total = total.add(weight.mul(sd.mean(AttentionBalancing.gateOpenProbability(sd, logAlpha()))));
        }
        return total;
    }

    /** Name of parameter {@code parameter} (e.g. {@link #OUTPUT}) of layer {@code layer}. */
    public static String parameterName(String layer, String parameter) {
        return layer + "." + parameter;
    }

    /** Name of this layer's gate-noise placeholder ({@code [H]}, uniform in (0,1)) when gates are sampled. */
    public static String gateNoiseName(String layer) {
        return layer + ".gatenoise";
    }

    private SDVariable normalize(SDVariable logits, AttentionMask mask) {
        if (kind != Kind.SELF || ModelConfig.SOFTMAX.equals(config.normalization())) {
            return AttentionBalancing.softmax(sd, logits, mask);
        }
        return AttentionBalancing.sinkhorn(sd, logits, mask, config.sinkhornIterations());
    }

    private SDVariable gate() {
        if (heads.sampleGates()) {
            SDVariable noise = sd.placeHolder(gateNoiseName(name), logAlpha().dataType(), heads.count());
            return AttentionBalancing.sampledGate(sd, logAlpha(), noise);
        }
        return AttentionBalancing.deterministicGate(sd, logAlpha());
    }

    private SDVariable logAlpha() {
        String paramName = parameterName(name, GATE_LOG_ALPHA);
        return sd.hasVariable(paramName) ? sd.getVariable(paramName)
                : params.get(sd, paramName, new Init.Constant(INITIAL_GATE_LOG_ALPHA), heads.count());
    }

    /** {@code [B*T, H*dh]} → {@code [B, H, T, dh]}; {@code idsShape} is the dynamic {@code [B, T]}. */
    private SDVariable splitHeads(SDVariable x, SDVariable idsShape) {
        SDVariable shape = sd.concat(0, idsShape,
                sd.constant(Nd4j.createFromArray((long) heads.count(), heads.dim())));
        return sd.permute(sd.reshape(x, shape), 0, 2, 1, 3);
    }

    private SDVariable param(String suffix, Init init, long... shape) {
        return params.get(sd, parameterName(name, suffix), init, shape);
    }
}
