package dev.fulcrum.model.prune;

import java.util.Objects;

import dev.fulcrum.model.config.Check;

/**
 * How many heads {@link HeadPruning} may keep besides removing every head whose gate is closed. Within the
 * scope, at most {@code floor(budget × heads)} heads stay; the least open go first, ranked by their gate's
 * log α (the evaluation gate rises with it, and it still ranks heads whose gates are all fully open); equally
 * open heads keep the earlier layer and head.
 *
 * @param budget fraction of the heads that may stay, in (0, 1]; 1 removes only the closed heads
 * @param scope  what the budget counts over
 */
public record PruningRule(double budget, Scope scope) {
    /** {@link #GLOBAL}: the heads of all attention layers together; {@link #LAYER}: each layer's heads alone. */
    public enum Scope { GLOBAL, LAYER }

    /** Removes the closed heads only: the pruned model computes exactly what the gated one did. */
    public static final PruningRule CLOSED_GATES = new PruningRule(1.0, Scope.GLOBAL);

    public PruningRule {
        Check.that(budget > 0 && budget <= 1, "pruning.budget", budget, "a number in (0, 1]");
        Objects.requireNonNull(scope, "scope");
    }

    /** The most heads that may stay out of {@code heads}; the epsilon keeps e.g. 0.3 × 10 from flooring to 2. */
    public int allowed(int heads) {
        return (int) Math.floor(budget * heads + 1e-9);
    }
}
