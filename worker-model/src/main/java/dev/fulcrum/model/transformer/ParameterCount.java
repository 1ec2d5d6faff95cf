package dev.fulcrum.model.transformer;

import dev.fulcrum.model.config.ModelConfig;

/**
 * How many parameters {@link TransformerGraph} declares for a configuration and head plan, without building
 * anything: what a model file's parameter count is checked against before its graphs are built (a 1 KB
 * model.json within the configuration's bounds could otherwise ask for tens of GB). {@code ParameterCountTest}
 * holds it equal to the built models'.
 */
public final class ParameterCount {
    private ParameterCount() {
    }

    public static long of(ModelConfig config, HeadPlan plan) {
        long d = config.modelDim();
        long norm = 2 * d; // gain and bias
        long feedForward = d * config.ffnDim() + config.ffnDim() + config.ffnDim() * d + d;
        long total = (long) config.vocabSize() * d + 2 * norm; // tied embedding; final encoder and decoder norms
        total += (config.encoderLayers() + config.decoderLayers()) * (norm + feedForward);
        for (String layer : TransformerGraph.attentionLayers(config)) {
            if (plan.computes(layer)) {
                total += norm + attention(config, plan, layer);
            }
        }
        return total;
    }

    /** Projections wq, wk, wv, wo; a temperature per head; a gate per head when the layer is gated. */
    private static long attention(ModelConfig config, HeadPlan plan, String layer) {
        var heads = plan.heads(layer, config, false);
        long inner = (long) heads.count() * heads.dim();
        return 4 * config.modelDim() * inner + heads.count() + (heads.gated() ? heads.count() : 0);
    }
}
