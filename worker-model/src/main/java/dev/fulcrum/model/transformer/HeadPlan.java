package dev.fulcrum.model.transformer;

import java.util.List;
import java.util.Map;

import dev.fulcrum.model.attention.BalancedAttention.Heads;
import dev.fulcrum.model.attention.BalancedAttention.Kind;
import dev.fulcrum.model.config.ModelConfig;

/**
 * How many heads each attention layer has in a graph: all of them while training, fewer in an exported
 * model whose closed-gate heads were pruned (pruned layers are then plain, ungated attention). A layer with
 * no head left is not computed at all: its sublayer (norm, attention, residual add) is skipped, which is
 * exact because attention has no output bias, so a layer of closed heads adds zero.
 *
 * @param keptHeads layer name → number of heads kept (0 = the layer is removed); layers not listed keep all
 */
public record HeadPlan(Map<String, Integer> keptHeads) {
    public static final HeadPlan FULL = new HeadPlan(Map.of());

    public HeadPlan {
        keptHeads = Map.copyOf(keptHeads);
    }

    /** Attention heads the model computes, over all its attention layers. */
    public int totalHeads(ModelConfig config) {
        return TransformerGraph.attentionLayers(config).stream().mapToInt(layer -> headCount(layer, config)).sum();
    }

    /** Heads layer {@code layer} computes (0 when it is not computed). */
    public int headCount(String layer, ModelConfig config) {
        return keptHeads.getOrDefault(layer, config.heads());
    }

    /** Whether the graph computes layer {@code layer} at all. */
    public boolean computes(String layer) {
        return keptHeads.getOrDefault(layer, 1) > 0;
    }

    /** The attention layers of {@code config} that this plan computes, in graph order. */
    public List<String> computedLayers(ModelConfig config) {
        return TransformerGraph.attentionLayers(config).stream().filter(this::computes).toList();
    }

    /** The computed layers that attend like {@code kind}, in graph order. */
    public List<String> computedLayers(ModelConfig config, Kind kind) {
        return computedLayers(config).stream().filter(layer -> TransformerGraph.attentionKind(layer) == kind).toList();
    }

    Heads heads(String layer, ModelConfig config, boolean sampleGates) {
        if (!keptHeads.containsKey(layer)) {
            return new Heads(config.heads(), config.headDim(), config.headGates(), sampleGates);
        }
        return new Heads(headCount(layer, config), config.headDim(), false, false);
    }
}
