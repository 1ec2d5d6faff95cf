package dev.fulcrum.model.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.attention.BalancedAttention.Kind;
import dev.fulcrum.model.transformer.TransformerGraph;

/**
 * Where every head of a model looks on one sentence pair: for each attention layer (by the names of
 * {@link TransformerGraph#attentionLayers}) the weights {@code [head][query][key]}, without padding. Encoder
 * self-attention is source × source, decoder self-attention target × target, cross-attention target × source.
 * The arrays are the record's own; equality is by reference, like any array's.
 *
 * @param sourceTokens the source's BPE pieces as the vocabulary spells them ({@code ▁} starts a word), then
 *                     {@code <eos>}
 * @param targetTokens the decoder's teacher-forced input: {@code <bos>}, then the target's pieces; query i
 *                     predicts target piece i + 1 ({@code <eos>} after the last)
 * @param layers       layer name → weights per head, in graph order
 */
public record AttentionMap(List<String> sourceTokens, List<String> targetTokens, Map<String, float[][][]> layers) {

    /** @throws IllegalArgumentException if a layer is unknown or its matrices do not fit the tokens */
    public AttentionMap {
        sourceTokens = List.copyOf(sourceTokens);
        targetTokens = List.copyOf(targetTokens);
        layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
        for (Map.Entry<String, float[][][]> layer : layers.entrySet()) {
            requireShape(layer.getKey(), layer.getValue(), queries(layer.getKey(), sourceTokens.size(),
                    targetTokens.size()), keys(layer.getKey(), sourceTokens.size(), targetTokens.size()));
        }
    }

    /** Queries of layer {@code layer}: source positions for encoder self-attention, target positions otherwise. */
    public int queries(String layer) {
        return queries(layer, sourceTokens.size(), targetTokens.size());
    }

    /** Keys of layer {@code layer}: target positions for decoder self-attention, source positions otherwise. */
    public int keys(String layer) {
        return keys(layer, sourceTokens.size(), targetTokens.size());
    }

    static int queries(String layer, int sourceLength, int targetLength) {
        return TransformerGraph.attentionKind(layer) == Kind.SELF ? sourceLength : targetLength;
    }

    static int keys(String layer, int sourceLength, int targetLength) {
        return TransformerGraph.attentionKind(layer) == Kind.CAUSAL ? targetLength : sourceLength;
    }

    private static void requireShape(String layer, float[][][] heads, int queries, int keys) {
        if (heads.length == 0) {
            throw new IllegalArgumentException("layer " + layer + " has no head");
        }
        for (int h = 0; h < heads.length; h++) {
            if (heads[h].length != queries) {
                throw new IllegalArgumentException("head " + h + " of layer " + layer + " has " + heads[h].length
                        + " query rows, expected " + queries);
            }
            for (float[] row : heads[h]) {
                if (row.length != keys) {
                    throw new IllegalArgumentException("head " + h + " of layer " + layer + " has a row of "
                            + row.length + " keys, expected " + keys);
                }
            }
        }
    }
}
