package dev.fulcrum.model.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.text.BpeTokenizer;
import dev.fulcrum.model.text.Vocabulary;
import dev.fulcrum.model.transformer.Transformer;
import dev.fulcrum.model.transformer.TransformerGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The attention maps of a model on a few sentence pairs, for the run report: one pass of the model's
 * evaluation graph (built once per model, as for {@link Evaluator}) over the pairs as one padded batch,
 * teacher-forced on the given targets, reading the weights every computed attention layer applied; gated
 * models show all their heads, closed ones included; a pruned model's removed layers are absent.
 */
public final class AttentionMaps {

    private AttentionMaps() {
    }

    /**
     * One map per pair, in order. Sides longer than the model accepts are cut to {@code model.maxLength - 1}
     * pieces, as {@link Evaluator} cuts sources.
     *
     * @param sources source sentences
     * @param targets their translations, as many as sources
     */
    public static List<AttentionMap> of(TranslationModel model, List<String> sources, List<String> targets) {
        if (sources.size() != targets.size()) {
            throw new IllegalArgumentException(sources.size() + " sources but " + targets.size() + " targets");
        }
        if (sources.isEmpty()) {
            return List.of();
        }
        BpeTokenizer tokenizer = new BpeTokenizer(model.vocabulary());
        int maxPieces = model.transformer().config().maxLength() - 1;
        List<int[][]> pairs = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            pairs.add(new int[][] {cut(tokenizer.encode(sources.get(i)), maxPieces),
                cut(tokenizer.encode(targets.get(i)), maxPieces)});
        }
        Map<String, INDArray> weights = weights(model.transformer(), Batcher.toBatch(pairs));
        List<AttentionMap> maps = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            maps.add(mapOf(i, pairs.get(i), weights, model.vocabulary().vocabulary()));
        }
        return maps;
    }

    /** Layer → its weights {@code [B, H, Tq, Tk]} on {@code batch}, as floats. */
    private static Map<String, INDArray> weights(Transformer model, MultiDataSet batch) {
        List<String> layers = model.headPlan().computedLayers(model.config());
        String[] outputs = layers.stream().map(TransformerGraph::attentionWeights).toArray(String[]::new);
        Map<String, INDArray> values = model.evaluationGraph().output(model.feeds().forLoss(Batcher.source(batch),
                Batcher.targetIn(batch), Batcher.targetOut(batch), Knobs.NONE, null), outputs);
        Map<String, INDArray> byLayer = new LinkedHashMap<>();
        for (String layer : layers) {
            byLayer.put(layer, values.get(TransformerGraph.attentionWeights(layer)).castTo(DataType.FLOAT));
        }
        return byLayer;
    }

    private static AttentionMap mapOf(int sentence, int[][] pair, Map<String, INDArray> weights,
                                      Vocabulary vocabulary) {
        List<String> source = new ArrayList<>();
        Arrays.stream(pair[0]).forEach(id -> source.add(vocabulary.token(id)));
        source.add(vocabulary.token(Vocabulary.EOS));
        List<String> target = new ArrayList<>();
        target.add(vocabulary.token(Vocabulary.BOS));
        Arrays.stream(pair[1]).forEach(id -> target.add(vocabulary.token(id)));
        Map<String, float[][][]> layers = new LinkedHashMap<>();
        weights.forEach((layer, values) -> layers.put(layer, trimmed(values, sentence,
                AttentionMap.queries(layer, source.size(), target.size()),
                AttentionMap.keys(layer, source.size(), target.size()))));
        return new AttentionMap(source, target, layers);
    }

    /** Sentence {@code sentence}'s weights without padding: {@code [head][query][key]}. */
    private static float[][][] trimmed(INDArray weights, int sentence, int queries, int keys) {
        float[][][] heads = new float[(int) weights.size(1)][][];
        for (int h = 0; h < heads.length; h++) {
            heads[h] = weights.get(NDArrayIndex.point(sentence), NDArrayIndex.point(h),
                    NDArrayIndex.interval(0, queries), NDArrayIndex.interval(0, keys)).toFloatMatrix();
        }
        return heads;
    }

    private static int[] cut(int[] ids, int maxPieces) {
        return ids.length <= maxPieces ? ids : Arrays.copyOf(ids, maxPieces);
    }
}
