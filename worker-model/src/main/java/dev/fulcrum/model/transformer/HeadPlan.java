package dev.fulcrum.model.transformer;

import java.util.Map;

import dev.fulcrum.model.attention.BalancedAttention.Heads;
import dev.fulcrum.model.config.ModelConfig;

/**
 * How many heads each attention layer has in a graph: all of them while training, fewer in an exported
 * model whose closed-gate heads were pruned (pruned layers are then plain, ungated attention).
 *
 * @param keptHeads layer name → number of heads kept; layers not listed keep all heads
 */
public record HeadPlan(Map<String, Integer> keptHeads) {
    public static final HeadPlan FULL = new HeadPlan(Map.of());

    public HeadPlan {
        keptHeads = Map.copyOf(keptHeads);
    }

    /** Attention heads the model computes, over all its attention layers. */
    public int totalHeads(ModelConfig config) {
        return TransformerGraph.attentionLayers(config).stream()
                .mapToInt(layer -> keptHeads.getOrDefault(layer, config.heads())).sum();
    }

    Heads heads(String layer, ModelConfig config, boolean sampleGates) {
        Integer kept = keptHeads.get(layer);
        if (kept == null) {
            return new Heads(config.heads(), config.headDim(), config.headGates(), sampleGates);
        }
        return new Heads(kept, config.headDim(), false, false);
    }
}
