package dev.fulcrum.model.attention.dl4j;

import static dev.fulcrum.model.config.ModelConfig.SINKHORN;
import static dev.fulcrum.model.config.ModelConfig.SOFTMAX;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.fulcrum.model.attention.AttentionBalancing;
import dev.fulcrum.model.attention.AttentionMask;
import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.attention.BalancedAttention.Kind;
import dev.fulcrum.model.config.Check;
import dev.fulcrum.model.parameters.Init;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * The attention-balancing layer as a DL4J {@link SameDiffVertex}, for users' own {@code ComputationGraph}s:
 * multi-head attention over NCW activations {@code [minibatch, modelDim, time]} with a learnable
 * temperature per head, softmax or Sinkhorn normalisation and optional head gates (their deterministic
 * expected value: DL4J has no per-step noise input). The math is {@link AttentionBalancing}'s.
 *
 * <p>One input ({@link Kind#SELF}, {@link Kind#CAUSAL}) or two ({@link Kind#CROSS}: queries
 * {@code [mb, D, Tq]}, then keys/values {@code [mb, D, Tk]}); the output is {@code [mb, D, Tq]} and carries
 * the queries' mask. The runtime is {@link CorrectedSameDiffGraphVertex}, which works around DL4J 1.0.0-M2.1's
 * defects of SameDiff vertices (doubled gradients among them).
 */
public class BalancedAttentionVertex extends SameDiffVertex {
    static final String QUERIES = "queries";
    static final String MEMORY = "memory";
    // No underscores in parameter names: one breaks fit (NPE in DL4J's updater, BUILD-NOTES).
    static final String QUERY_WEIGHTS = "Wq";
    static final String KEY_WEIGHTS = "Wk";
    static final String VALUE_WEIGHTS = "Wv";
    static final String OUTPUT_WEIGHTS = "Wo";
    static final String LOG_TEMPERATURE = "logTau";
    static final String LOG_ALPHA = "logAlpha";
    private static final List<String> PROJECTIONS = List.of(QUERY_WEIGHTS, KEY_WEIGHTS, VALUE_WEIGHTS, OUTPUT_WEIGHTS);

    private int modelDim;
    private int heads = 1;
    private Kind kind = Kind.SELF;
    private String normalization = SOFTMAX;
    private int sinkhornIterations = 3;
    private boolean headGates;

    /** For JSON; set at least the model dimension before use. */
    public BalancedAttentionVertex() {
    }

    /** Softmax attention without gates; see {@link #withSinkhorn(int)} and {@link #withHeadGates()}. */
    public BalancedAttentionVertex(int modelDim, int heads, Kind kind) {
        setModelDim(modelDim);
        setHeads(heads);
        setKind(kind);
        validate();
    }

    public BalancedAttentionVertex withSinkhorn(int iterations) {
        setNormalization(SINKHORN);
        setSinkhornIterations(iterations);
        validate();
        return this;
    }

    public BalancedAttentionVertex withHeadGates() {
        setHeadGates(true);
        return this;
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        validate();
        params.defineInputs(kind == Kind.CROSS ? new String[] {QUERIES, MEMORY} : new String[] {QUERIES});
        for (String projection : PROJECTIONS) {
            params.addWeightParam(projection, modelDim, modelDim);
        }
        // Temperatures and gates are not weights: as biases they get the bias updater and stay out of weight decay.
        params.addBiasParam(LOG_TEMPERATURE, heads);
        if (headGates) {
            params.addBiasParam(LOG_ALPHA, heads);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        for (String projection : PROJECTIONS) {
            INDArray weights = params.get(projection);
            weights.assign(new Init.Xavier().create(weights.shape(), weights.dataType(), Nd4j.getRandom()));
        }
        params.get(LOG_TEMPERATURE).assign(0.0);
        if (headGates) {
            params.get(LOG_ALPHA).assign(BalancedAttention.INITIAL_GATE_LOG_ALPHA);
        }
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                   Map<String, SDVariable> masks) {
        SDVariable queries = inputs.get(QUERIES);
        SDVariable memory = kind == Kind.CROSS ? inputs.get(MEMORY) : queries;
        SDVariable queryMask = mask(sd, masks, QUERIES, queries);
        SDVariable keyMask = kind == Kind.CROSS ? mask(sd, masks, MEMORY, memory) : queryMask;
        AttentionMask mask = attentionMask(sd, queryMask, keyMask);
        SDVariable logits = sd.mmul(splitHeads(sd, queries, params.get(QUERY_WEIGHTS)),
                splitHeads(sd, memory, params.get(KEY_WEIGHTS)), false, true, false).mul(1.0 / Math.sqrt(headDim()));
        logits = AttentionBalancing.applyTemperature(sd, logits, params.get(LOG_TEMPERATURE));
        SDVariable context = sd.mmul(normalize(sd, logits, mask), splitHeads(sd, memory, params.get(VALUE_WEIGHTS)));
        if (headGates) {
            context = AttentionBalancing.gateHeads(context, AttentionBalancing.deterministicGate(sd, params.get(LOG_ALPHA)));
        }
        return mergeHeads(sd, context, params.get(OUTPUT_WEIGHTS));
    }

    private AttentionMask attentionMask(SameDiff sd, SDVariable queryMask, SDVariable keyMask) {
        AttentionMask mask = AttentionMask.of(sd, queryMask, keyMask);
        return kind == Kind.CAUSAL ? mask.causal(futureBias(sd, queryMask)) : mask;
    }

    /** DL4J M2.1 feeds all-ones masks when there are none; other releases may pass none at all. */
    private static SDVariable mask(SameDiff sd, Map<String, SDVariable> masks, String input, SDVariable sequence) {
        SDVariable mask = masks == null ? null : masks.get(input);
        if (mask == null) {
            return sd.onesLike(sequence.get(SDIndex.all(), SDIndex.point(0), SDIndex.all()));
        }
        return mask.castTo(sequence.dataType());
    }

    /**
     * {@link AttentionBalancing#MASKED} where the key lies after the query, else 0: {@code [mb, 1, T, T]}.
     * Built from positions inside the graph because a vertex gets no extra inputs and T varies by minibatch.
     */
    private static SDVariable futureBias(SameDiff sd, SDVariable sequenceMask) {
        SDVariable positions = sd.expandDims(sd.cumsum(sd.onesLike(sequenceMask), 1), 1);
        SDVariable ahead = sd.expandDims(positions, 2).sub(sd.expandDims(positions, 3));
        return sd.clipByValue(ahead, 0.0, 1.0).mul(AttentionBalancing.MASKED);
    }

    private SDVariable normalize(SameDiff sd, SDVariable logits, AttentionMask mask) {
        return SINKHORN.equals(normalization) ? AttentionBalancing.sinkhorn(sd, logits, mask, sinkhornIterations)
                : AttentionBalancing.softmax(sd, logits, mask);
    }

    /** {@code [mb, D, T]} · {@code [D, D]} → {@code [mb, H, T, dh]}; columns of the projection are head-major. */
    private SDVariable splitHeads(SameDiff sd, SDVariable sequence, SDVariable weights) {
        SDVariable tokens = sd.permute(sequence, 0, 2, 1);
        SDVariable projected = tokens.reshape(-1, modelDim).mmul(weights);
        return sd.permute(sd.reshape(projected, batchAndTimeThen(sd, tokens, heads, headDim())), 0, 2, 1, 3);
    }

    /** {@code [mb, H, Tq, dh]} · {@code [D, D]} → {@code [mb, D, Tq]}. */
    private SDVariable mergeHeads(SameDiff sd, SDVariable context, SDVariable weights) {
        SDVariable tokens = sd.permute(context, 0, 2, 1, 3);
        SDVariable projected = tokens.reshape(-1, modelDim).mmul(weights);
        return sd.permute(sd.reshape(projected, batchAndTimeThen(sd, tokens, modelDim)), 0, 2, 1);
    }

    /**
     * The dynamic {@code [mb, T]} of a {@code [mb, T, ...]} tensor followed by fixed sizes. Token-major 2-D
     * products instead of tensorMmul: ND4J M2.1's tensormmul_bp fails on these shapes.
     */
    private static SDVariable batchAndTimeThen(SameDiff sd, SDVariable tensor, long... sizes) {
        SDVariable batchAndTime = sd.slice(sd.shape(tensor), new int[] {0}, 2);
        return sd.concat(0, batchAndTime, sd.constant(Nd4j.createFromArray(sizes)));
    }

    @Override
    public GraphVertex instantiate(ComputationGraph graph, String name, int vertexIndex, INDArray paramsView,
                                   boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new CorrectedSameDiffGraphVertex(this, graph, name, vertexIndex, paramsView, initializeParams,
                networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (!(vertexInputs[0] instanceof InputType.InputTypeRecurrent queries)) {
            throw new InvalidInputTypeException("BalancedAttentionVertex needs recurrent inputs, got " + vertexInputs[0]);
        }
        return InputType.recurrent(modelDim, queries.getTimeSeriesLength(), RNNFormat.NCW);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return new Pair<>(maskArrays == null ? null : maskArrays[0], currentMaskState);
    }

    @Override
    public void validateInput(INDArray[] inputs) {
        for (INDArray input : inputs) {
            if (input.rank() != 3 || input.size(1) != modelDim) {
                throw new IllegalArgumentException("BalancedAttentionVertex expects NCW input [minibatch, " + modelDim
                        + ", time], got " + Arrays.toString(input.shape()));
            }
        }
    }

    private void validate() {
        Check.intRange("vertex.modelDim", modelDim, 4, 8192);
        Check.that(modelDim % heads == 0, "vertex.heads", heads, "a divisor of vertex.modelDim (" + modelDim + ")");
        Check.that(kind != Kind.CAUSAL || SOFTMAX.equals(normalization), "vertex.normalization", normalization,
                SOFTMAX + " for causal attention (a Sinkhorn column step would leak the future)");
    }

    private int headDim() {
        return modelDim / heads;
    }

    /** Parameter shapes follow the fields: recompute them on the next use. */
    private void changed() {
        setVertexParams(null);
    }

    public int getModelDim() {
        return modelDim;
    }

    public void setModelDim(int modelDim) {
        this.modelDim = Check.intRange("vertex.modelDim", modelDim, 4, 8192);
        changed();
    }

    public int getHeads() {
        return heads;
    }

    public void setHeads(int heads) {
        this.heads = Check.intRange("vertex.heads", heads, 1, 128);
        changed();
    }

    public Kind getKind() {
        return kind;
    }

    public void setKind(Kind kind) {
        Check.that(kind != null, "vertex.kind", null, "one of " + Arrays.toString(Kind.values()));
        this.kind = kind;
        changed();
    }

    public String getNormalization() {
        return normalization;
    }

    public void setNormalization(String normalization) {
        this.normalization = Check.oneOf("vertex.normalization", normalization, SOFTMAX, SINKHORN);
    }

    public int getSinkhornIterations() {
        return sinkhornIterations;
    }

    public void setSinkhornIterations(int sinkhornIterations) {
        this.sinkhornIterations = Check.intRange("vertex.sinkhornIterations", sinkhornIterations, 1, 50);
    }

    public boolean isHeadGates() {
        return headGates;
    }

    public void setHeadGates(boolean headGates) {
        this.headGates = headGates;
        changed();
    }

    /** A deep copy including what SameDiffVertex holds: Spark workers train a cloned configuration. */
    @Override
    public BalancedAttentionVertex clone() {
        BalancedAttentionVertex copy = new BalancedAttentionVertex();
        copy.modelDim = modelDim;
        copy.heads = heads;
        copy.kind = kind;
        copy.normalization = normalization;
        copy.sinkhornIterations = sinkhornIterations;
        copy.headGates = headGates;
        copy.setName(getName());
        copy.setUpdater(cloned(getUpdater()));
        copy.setBiasUpdater(cloned(getBiasUpdater()));
        copy.setRegularization(cloned(getRegularization()));
        copy.setRegularizationBias(cloned(getRegularizationBias()));
        copy.setGradientNormalization(getGradientNormalization());
        copy.setGradientNormalizationThreshold(getGradientNormalizationThreshold());
        copy.setDataType(getDataType());
        return copy;
    }

    private static IUpdater cloned(IUpdater updater) {
        return updater == null ? null : updater.clone();
    }

    private static List<Regularization> cloned(List<Regularization> regularization) {
        if (regularization == null) {
            return null;
        }
        List<Regularization> copy = new ArrayList<>();
        regularization.forEach(r -> copy.add(r.clone()));
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass() || !super.equals(o)) {
            return false;
        }
        BalancedAttentionVertex other = (BalancedAttentionVertex) o;
        return modelDim == other.modelDim && heads == other.heads && kind == other.kind
                && normalization.equals(other.normalization) && sinkhornIterations == other.sinkhornIterations
                && headGates == other.headGates;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), modelDim, heads, kind, normalization, sinkhornIterations, headGates);
    }
}
