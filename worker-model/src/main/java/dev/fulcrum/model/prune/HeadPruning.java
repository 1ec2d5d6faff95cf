package dev.fulcrum.model.prune;

import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.transformer.HeadPlan;
import dev.fulcrum.model.transformer.Transformer;

/**
 * Turns a model trained with head gates into an inference model without the heads it does not need:
 * "the best model for the compute you have". Closed heads (gate exactly 0) are always removed, which
 * changes no output; a {@link PruningRule} budget may remove the least open of the others too, which
 * behaves exactly like the gated model with those heads' gates closed. Every attention layer of the result
 * is plain, ungated attention (its {@link HeadPlan} lists every layer) with the gate values folded into
 * the output projections; a layer left with no head is not computed at all (it would add zero).
 *
 * <p>One output can differ even so: beam search with a coverage penalty averages the last layer's
 * cross-attention over its heads, closed ones included in the gated model, fewer in the pruned one.
 *
 * <p>Only gated, unpruned models can be pruned: an ungated model has no gate to read, and the gates of a
 * pruned one are gone. Either is refused with an {@link IllegalArgumentException}.
 */
public final class HeadPruning {

    private HeadPruning() {
    }

    /** {@code gated} without its closed heads; its outputs are those of {@code gated}. */
    public static TranslationModel prune(TranslationModel gated) {
        return prune(gated, PruningRule.CLOSED_GATES);
    }

    /**
     * A new model, sharing nothing with {@code gated}: its heads as {@code rule} selects them, its other
     * parameters, vocabulary and provenance copied, the provenance extended by a record of the pruning.
     *
     * @throws IllegalArgumentException if {@code gated} has no head gates or was pruned already
     */
    public static TranslationModel prune(TranslationModel gated, PruningRule rule) {
        Transformer source = gated.transformer();
        requirePrunable(source);
        HeadGates gates = HeadGates.of(source);
        HeadSelection selection = HeadSelection.choose(gates, rule);
        ModelConfig config = source.config();
        Transformer pruned = Transformer.initialize(config, selection.headPlan(), 0, source.parameters().dataType());
        PrunedWeights.copy(source.parameters(), pruned.parameters(), gates, selection, config.headDim());
        Provenance provenance = gated.provenance().withPruning(new Provenance.Pruning(rule.budget(),
                rule.scope().name(), selection.headsPerLayer(), selection.kept()));
        return new TranslationModel(pruned, gated.vocabulary(), provenance);
    }

    private static void requirePrunable(Transformer model) {
        if (!model.config().headGates()) {
            throw new IllegalArgumentException("the model was trained without head gates (model.headGates = false):"
                    + " there are no gates to prune by");
        }
        if (!model.headPlan().equals(HeadPlan.FULL)) {
            throw new IllegalArgumentException("the model was pruned already (head plan " + model.headPlan()
                    + "); prune the gated model it came from instead");
        }
    }
}
