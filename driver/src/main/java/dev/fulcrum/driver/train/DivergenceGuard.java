package dev.fulcrum.driver.train;

import dev.fulcrum.driver.round.TunerDecision;
import dev.fulcrum.driver.round.RoundReport;
import dev.fulcrum.driver.round.RoundState;
import java.util.Optional;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.driver.round.RunException;
import dev.fulcrum.model.TranslationModel;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keeps a diverging run from going on, or from being checkpointed, with a broken model. After every round it
 * says whether the round diverged: no replica's state was finite, or the validation loss is not finite or above
 * the best so far by more than {@code train.divergenceTolerance}. A diverged round is undone: the run goes back to
 * the state of its best round (held here, in memory) with the learning rate multiplied by
 * {@code train.rollbackFactor}; after {@code train.maxRollbacks} roll-backs the next divergence stops the run.
 *
 * <p>The arrays of a round's state are never written after the round, so the best state is held by reference.
 */
final class DivergenceGuard {
    private final RunConfig.Divergence settings;
    private RoundState best;
    private double bestValidNll = Double.POSITIVE_INFINITY;
    private float[] bestParameters;
    private int rollbacks;

    /** A guard whose fall-back, until a round validates, is {@code start} (a fresh model or a checkpoint). */
    DivergenceGuard(RunConfig.Divergence settings, RoundState start, float[] startParameters) {
        this.settings = settings;
        this.best = start;
        this.bestParameters = startParameters;
    }

    /** Why this round diverged, or empty when it did not. */
    Optional<String> divergence(RoundReport report, boolean averaged) {
        if (!averaged) {
            return Optional.of("no replica's parameters were finite after the round");
        }
        if (!Double.isFinite(report.validNll())) {
            return Optional.of("the validation loss is " + report.validNll());
        }
        double bestBefore = report.bestValidNllBefore();
        if (Double.isFinite(bestBefore) && report.validNll() > bestBefore * (1 + settings.tolerance())) {
            return Optional.of(String.format("validation perplexity %.4g is more than %.0f%% (in loss) above the best"
                    + " so far, %.4g", report.validPerplexity(), 100 * settings.tolerance(), Math.exp(bestBefore)));
        }
        return Optional.empty();
    }

    /**
     * Remembers a round that did not diverge as the fall-back when its validation loss is the lowest so far, or
     * when it changed the model's shape (settled gates: the state before cannot be gone back to).
     */
    void accept(RoundState state, float[] parameters, double validNll, boolean reshaped) {
        if (validNll <= bestValidNll || reshaped) {
            best = state;
            bestParameters = parameters;
            bestValidNll = validNll;
        }
    }

    /**
     * The state round {@code round} goes on from after diverging: the best round's parameters (written into the
     * model, which every round shares), optimiser state, step and knobs, with a lower learning rate.
     *
     * @throws RunException when the roll-backs allowed are used up
     */
    RoundState rollBack(int round, String reason, RoundState diverged) {
        double scale = diverged.learningRateScale() * settings.rollbackFactor();
        if (rollbacks >= settings.maxRollbacks()) {
            throw new RunException(String.format("training diverged in round %d: %s. After %d roll-back(s) to the "
                            + "best round (the learning rate scaled by %.3g) it still diverges, so the run stops; the "
                            + "checkpoints hold the rounds before it. Lower train.peakLearningRate, keep train.clipNorm "
                            + "above 0, or allow more roll-backs (train.maxRollbacks)", round, reason, rollbacks,
                    diverged.learningRateScale()));
        }
        rollbacks++;
        TranslationModel model = best.model();
        model.transformer().parameters().flat().assign(Nd4j.createFromArray(bestParameters).reshape(1, -1));
        String why = String.format("round %d diverged (%s): rolled back to round %d, learning rate ×%.3g", round,
                reason, best.round(), scale);
        model = new TranslationModel(model.transformer(), model.vocabulary(),
                model.provenance().withDecision(round + 1, best.knobs(), why));
        return new RoundState(model, best.updaterState(), round, best.step(),
                new TunerDecision(best.knobs(), why), diverged.bestValidNll(), scale,
                new RoundState.Rollback(best.round(), reason, scale));
    }
}
