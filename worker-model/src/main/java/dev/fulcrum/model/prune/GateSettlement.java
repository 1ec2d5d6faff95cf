package dev.fulcrum.model.prune;

import java.util.List;
import java.util.Map;

import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.parameters.Parameters;
import dev.fulcrum.model.transformer.Transformer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Settles a gated model's head gates for good, in the middle of training: the heads a {@link PruningRule} would
 * remove are shut, every other head is fixed fully open. Training then continues on exactly the model that will
 * be exported, with no gate noise (the pruned-and-fine-tuned recipe of Michel et al. 2019 and Voita et al. 2019).
 *
 * <p>Why: under one shared L0 weight all gates move down nearly in step, so a budget is either not reached or
 * overshot, and a gate clipped at 0 gets no task gradient to reopen (docs/benchmarks.md, experiment). Settling
 * when the budget's worth of heads has been pushed down keeps the ranking the gates learned and stops the fall.
 * A settled log α of ±{@value #SETTLED_LOG_ALPHA} keeps every sampled gate at exactly 0 or 1 (the gate noise's
 * uniforms stay in [1e-6, 1 − 1e-6], so its logistic term stays within ±14): settled gates get no gradient at
 * all, and their Adam moments are cleared so that old momentum does not move them either.
 */
public final class GateSettlement {
    /** |log α| of a settled gate. */
    public static final double SETTLED_LOG_ALPHA = 20;
    /** Open probabilities this close to 0 or 1 belong to settled gates (±20 gives 1e-8 and 1 − 4e-10). */
    private static final double SETTLED_MARGIN = 1e-6;

    private GateSettlement() {
    }

    /** Whether a gate whose probability of being non-zero is {@code openProbability} has been settled. */
    public static boolean isSettled(double openProbability) {
        return openProbability < SETTLED_MARGIN || openProbability > 1 - SETTLED_MARGIN;
    }

    /**
     * Shuts the heads {@code rule} removes and fixes the others open, in {@code model}'s parameters, and clears
     * both Adam moments of every gate in {@code updaterState} ({@code [m | v]}, each laid out like the parameters).
     *
     * @return the heads left open
     */
    public static HeadSelection settle(Transformer model, float[] updaterState, PruningRule rule) {
        HeadSelection open = HeadSelection.choose(HeadGates.of(model), rule);
        Parameters parameters = model.parameters();
        INDArray state = Nd4j.createFromArray(updaterState).reshape(1, -1);
        List<Map<String, INDArray>> moments = List.of(moment(parameters, state, 0), moment(parameters, state, 1));
        open.kept().forEach((layer, kept) -> {
            String name = BalancedAttention.parameterName(layer, BalancedAttention.GATE_LOG_ALPHA);
            INDArray logAlpha = parameters.view(name);
            for (int head = 0; head < logAlpha.length(); head++) {
                logAlpha.putScalar(head, kept.contains(head) ? SETTLED_LOG_ALPHA : -SETTLED_LOG_ALPHA);
            }
            moments.forEach(moment -> moment.get(name).assign(0));
        });
        System.arraycopy(state.toFloatVector(), 0, updaterState, 0, updaterState.length);
        return open;
    }

    /** Views of Adam moment {@code index} (0 = m, 1 = v) laid out like the parameters. */
    private static Map<String, INDArray> moment(Parameters parameters, INDArray state, int index) {
        long size = parameters.size();
        if (state.length() != 2 * size) {
            throw new IllegalArgumentException("an updater state of " + state.length() + " values for "
                    + size + " parameters (expected [m | v])");
        }
        INDArray half = state.get(NDArrayIndex.point(0), NDArrayIndex.interval(index * size, (index + 1) * size))
                .reshape(1, size);
        return parameters.viewsOf(half);
    }
}
