package dev.fulcrum.model.decode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.transformer.GraphInputs;
import dev.fulcrum.model.transformer.Transformer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The decoder self-attention keys and values of the positions decoded so far, one row per alive hypothesis:
 * what lets each beam-search step run the decoder over the newest token only.
 */
final class DecoderCache {
    private final List<String> layers;
    private final Map<String, INDArray> feeds = new LinkedHashMap<>();

    /** An empty cache for {@code rows} hypotheses: only the never-attended first slot (zeros). */
    DecoderCache(Transformer model, int rows) {
        ModelConfig config = model.config();
        this.layers = model.headPlan().computedLayers(config, BalancedAttention.Kind.CAUSAL);
        for (String layer : layers) {
            long[] shape = {rows, model.headPlan().headCount(layer, config), 1, config.headDim()};
            feeds.put(GraphInputs.cachedKeys(layer), Nd4j.zeros(model.parameters().dataType(), shape));
            feeds.put(GraphInputs.cachedValues(layer), Nd4j.zeros(model.parameters().dataType(), shape));
        }
    }

    /** The cache as the step graph's placeholders. */
    Map<String, INDArray> feeds() {
        return feeds;
    }

    /** Outputs of the step graph that extend the cache. */
    List<String> outputs() {
        List<String> names = new ArrayList<>();
        for (String layer : layers) {
            names.add(GraphInputs.nextKeys(layer));
            names.add(GraphInputs.nextValues(layer));
        }
        return names;
    }

    /**
     * Takes the extended cache from a step's outputs, keeping rows {@code parents} in that order: row i of the
     * next step continues the hypothesis of row {@code parents[i]} of this one.
     */
    void advance(Map<String, INDArray> outputs, int[] parents) {
        for (String layer : layers) {
            feeds.put(GraphInputs.cachedKeys(layer), rows(outputs.get(GraphInputs.nextKeys(layer)), parents));
            feeds.put(GraphInputs.cachedValues(layer), rows(outputs.get(GraphInputs.nextValues(layer)), parents));
        }
    }

    /** Rows {@code indices} of {@code [R, ...]}, e.g. of {@code [R, H, t, dh]}. */
    static INDArray rows(INDArray cache, int[] indices) {
        long[] shape = cache.shape().clone();
        INDArray flat = cache.reshape('c', shape[0], cache.length() / shape[0]);
        shape[0] = indices.length;
        return Nd4j.pullRows(flat, 1, indices).reshape('c', shape);
    }
}
