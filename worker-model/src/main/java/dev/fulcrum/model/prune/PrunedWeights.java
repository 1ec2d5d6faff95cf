package dev.fulcrum.model.prune;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.parameters.Parameters;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Fills a pruned model's parameters from the gated model's. A kept head takes its columns of wq/wk/wv, its
 * log τ and its rows of wo; the gate value is folded into those wo rows, because the pruned layer is
 * ungated: {@code (g·context)·wo = context·(g·wo)}. A layer with no head kept has no parameters in the pruned
 * model (it is not computed). Every other parameter is copied as it is.
 */
final class PrunedWeights {
    private static final Set<String> PER_HEAD = Set.of(BalancedAttention.QUERY, BalancedAttention.KEY,
            BalancedAttention.VALUE, BalancedAttention.OUTPUT, BalancedAttention.LOG_TEMPERATURE);

    private final Parameters gated;
    private final Parameters pruned;
    private final HeadGates gates;
    private final HeadSelection selection;
    private final int headDim;

    private PrunedWeights(Parameters gated, Parameters pruned, HeadGates gates, HeadSelection selection,
                          int headDim) {
        this.gated = gated;
        this.pruned = pruned;
        this.gates = gates;
        this.selection = selection;
        this.headDim = headDim;
    }

    static void copy(Parameters gated, Parameters pruned, HeadGates gates, HeadSelection selection, int headDim) {
        PrunedWeights weights = new PrunedWeights(gated, pruned, gates, selection, headDim);
        for (String name : pruned.names()) {
            weights.fill(name);
        }
    }

    private void fill(String name) {
        int dot = name.lastIndexOf('.');
        String layer = name.substring(0, Math.max(dot, 0));
        String parameter = name.substring(dot + 1);
        if (selection.kept().containsKey(layer) && PER_HEAD.contains(parameter)) {
            copyHeads(layer, parameter, pruned.view(name), source(name));
            return;
        }
        INDArray source = source(name);
        if (!Arrays.equals(source.shape(), pruned.view(name).shape())) {
            throw new IllegalStateException("parameter " + name + " has shape " + Arrays.toString(source.shape())
                    + " in the gated model, " + Arrays.toString(pruned.view(name).shape()) + " in the pruned one");
        }
        pruned.view(name).assign(source);
    }

    private INDArray source(String name) {
        INDArray source = gated.view(name);
        if (source == null) {
            throw new IllegalStateException("the gated model has no parameter " + name);
        }
        return source;
    }

    private void copyHeads(String layer, String parameter, INDArray target, INDArray source) {
        List<Integer> heads = selection.kept().get(layer);
        for (int slot = 0; slot < heads.size(); slot++) {
            int head = heads.get(slot);
            switch (parameter) {
                case BalancedAttention.LOG_TEMPERATURE -> target.putScalar(slot, source.getDouble(head));
                case BalancedAttention.OUTPUT ->
                        rows(target, slot).assign(rows(source, head).mul(gates.gate(layer, head)));
                default -> columns(target, slot).assign(columns(source, head));
            }
        }
    }

    private INDArray rows(INDArray matrix, int head) {
        return matrix.get(NDArrayIndex.interval(head * headDim, (head + 1) * headDim), NDArrayIndex.all());
    }

    private INDArray columns(INDArray matrix, int head) {
        return matrix.get(NDArrayIndex.all(), NDArrayIndex.interval(head * headDim, (head + 1) * headDim));
    }
}
