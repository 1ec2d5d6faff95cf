package dev.fulcrum.model.config;

/**
 * Shape of the Transformer and of its attention-balancing layers. Immutable: what may change between
 * training rounds lives in {@link Knobs}, so that changing it never rebuilds the graph.
 *
 * @param vocabSize          shared source/target vocabulary size (tied embeddings and output projection)
 * @param modelDim           d_model
 * @param heads              attention heads per attention layer
 * @param ffnDim             inner size of the feed-forward blocks
 * @param encoderLayers      encoder blocks
 * @param decoderLayers      decoder blocks
 * @param dropout            dropout on embeddings, residual branches and FFN activations
 * @param labelSmoothing     label smoothing of the cross-entropy
 * @param maxLength          longest sequence (tokens per side incl. EOS) the model accepts
 * @param normalization      attention normalisation for encoder self- and cross-attention:
 *                           {@code softmax} or {@code sinkhorn}; causal self-attention is always softmax
 * @param sinkhornIterations row/column normalisations when {@code sinkhorn} (1 equals softmax)
 * @param headGates          hard-concrete (L0) gates on every head, for pruning to a head budget
 */
public record ModelConfig(
        int vocabSize,
        int modelDim,
        int heads,
        int ffnDim,
        int encoderLayers,
        int decoderLayers,
        double dropout,
        double labelSmoothing,
        int maxLength,
        String normalization,
        int sinkhornIterations,
        boolean headGates) implements java.io.Serializable {

    public static final String SOFTMAX = "softmax";
    public static final String SINKHORN = "sinkhorn";

    public ModelConfig {
        Check.intRange("model.vocabSize", vocabSize, 8, 1 << 20);
        Check.intRange("model.modelDim", modelDim, 4, 8192);
        Check.intRange("model.heads", heads, 1, 128);
        Check.related(modelDim % heads == 0, "model.heads", heads, "a divisor of model.modelDim (" + modelDim + ")",
                "model.modelDim");
        Check.intRange("model.ffnDim", ffnDim, 1, 65536);
        Check.intRange("model.encoderLayers", encoderLayers, 1, 48);
        Check.intRange("model.decoderLayers", decoderLayers, 1, 48);
        Check.range("model.dropout", dropout, 0.0, 0.9);
        Check.range("model.labelSmoothing", labelSmoothing, 0.0, 0.5);
        Check.intRange("model.maxLength", maxLength, 2, 4096);
        Check.oneOf("model.normalization", normalization, SOFTMAX, SINKHORN);
        Check.intRange("model.sinkhornIterations", sinkhornIterations, 1, 50);
    }

    /** The reference size of the PyTorch baseline: d256, 4 heads, FFN 1024, 3+3 layers. */
    public static ModelConfig base(int vocabSize) {
        return new ModelConfig(vocabSize, 256, 4, 1024, 3, 3, 0.1, 0.1, 128, SOFTMAX, 3, false);
    }

    public int headDim() {
        return modelDim / heads;
    }

    public ModelConfig withVocabSize(int size) {
        return new ModelConfig(size, modelDim, heads, ffnDim, encoderLayers, decoderLayers, dropout, labelSmoothing,
                maxLength, normalization, sinkhornIterations, headGates);
    }

    public ModelConfig withAttention(String norm, int iterations, boolean gates) {
        return new ModelConfig(vocabSize, modelDim, heads, ffnDim, encoderLayers, decoderLayers, dropout,
                labelSmoothing, maxLength, norm, iterations, gates);
    }
}
