package dev.fulcrum.model.decode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.transformer.GraphInputs;
import dev.fulcrum.model.transformer.Transformer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The encoded sources as the decoder's cross-attention reads them: each cross-attention layer's keys and values
 * of every sentence, projected once by the ENCODE graph (not again at every step), then handed to each step with
 * one row per hypothesis.
 */
final class SourceMemory {
    private final Map<String, INDArray> bySentence = new LinkedHashMap<>();
    private int[] laidOutFor;
    private Map<String, INDArray> laidOut;

    /** Encodes {@code sourceIds [S, Ts]} (EOS-terminated, PAD-padded). */
    SourceMemory(Transformer model, INDArray sourceIds) {
        List<String> names = model.headPlan().computedLayers(model.config(), BalancedAttention.Kind.CROSS).stream()
                .flatMap(layer -> Stream.of(GraphInputs.sourceKeys(layer),
                        GraphInputs.sourceValues(layer)))
                .toList();
        if (!names.isEmpty()) {
            bySentence.putAll(model.encoderGraph().output(model.feeds().forEncoder(sourceIds),
                    names.toArray(String[]::new)));
        }
    }

    /**
     * The step graph's cross-attention placeholders for rows whose sentences are {@code sentenceOfRow}: row r
     * gets sentence {@code sentenceOfRow[r]}'s keys and values. Reused while the layout stays the same, as it
     * does between the steps in which no sentence finishes.
     */
    Map<String, INDArray> rows(int[] sentenceOfRow) {
        if (!Arrays.equals(sentenceOfRow, laidOutFor)) {
            laidOut = new LinkedHashMap<>();
            bySentence.forEach((name, perSentence) -> laidOut.put(name, DecoderCache.rows(perSentence, sentenceOfRow)));
            laidOutFor = sentenceOfRow.clone();
        }
        return laidOut;
    }
}
