package dev.fulcrum.model.prune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.attention.AttentionBalancing;
import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.transformer.Transformer;
import dev.fulcrum.model.transformer.TransformerGraph;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The head gates of a gated model as its evaluation and inference graphs apply them. The values come from
 * {@link AttentionBalancing#deterministicGate} run on the model's own log α arrays, in the model's data type: the
 * very op those graphs use, so that a gate is 0 here exactly when it is 0 there.
 */
public final class HeadGates {
    /** One head: its layer (position in {@link TransformerGraph#attentionLayers}), index, log α and gate. */
    public record Head(String layer, int layerIndex, int index, double logAlpha, double gate) {
        /** A closed gate multiplies the head's output by exactly 0. */
        public boolean closed() {
            return gate == 0;
        }
    }

    private final List<String> layers;
    private final List<Head> heads;

    private HeadGates(List<String> layers, List<Head> heads) {
        this.layers = List.copyOf(layers);
        this.heads = Collections.unmodifiableList(heads);
    }

    /** @throws IllegalArgumentException unless every attention layer of {@code model} is gated */
    public static HeadGates of(Transformer model) {
        List<String> layers = TransformerGraph.attentionLayers(model.config());
        List<Head> heads = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            INDArray logAlpha = model.parameters().view(
                    BalancedAttention.parameterName(layers.get(l), BalancedAttention.GATE_LOG_ALPHA));
            if (logAlpha == null) {
                throw new IllegalArgumentException("attention layer " + layers.get(l) + " has no head gates");
            }
            double[] alphas = logAlpha.toDoubleVector();
            double[] gates = deterministicGate(logAlpha);
            for (int h = 0; h < alphas.length; h++) {
                heads.add(new Head(layers.get(l), l, h, alphas[h], gates[h]));
            }
        }
        return new HeadGates(layers, heads);
    }

    /** Every head, layer by layer in graph order, heads in index order. */
    public List<Head> heads() {
        return heads;
    }

    public List<String> layers() {
        return layers;
    }

    /** Layer → gate value of each of its heads, in graph order. */
    public Map<String, double[]> values() {
        Map<String, double[]> values = new LinkedHashMap<>();
        for (String layer : layers) {
            values.put(layer, heads.stream().filter(head -> head.layer().equals(layer))
                    .mapToDouble(Head::gate).toArray());
        }
        return values;
    }

    /** The gate of head {@code index} of {@code layer}. */
    public double gate(String layer, int index) {
        return heads.stream().filter(head -> head.layer().equals(layer) && head.index() == index).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no head " + index + " in layer " + layer))
                .gate();
    }

    private static double[] deterministicGate(INDArray logAlpha) {
        SameDiff sd = SameDiff.create();
        return AttentionBalancing.deterministicGate(sd, sd.constant(logAlpha.dup())).eval().toDoubleVector();
    }
}
