package dev.fulcrum.driver.round;

import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.Knobs;

/**
 * The averaged state after a round: the model (parameters, vocabulary, provenance with the knob history),
 * the averaged optimiser state, rounds finished, global step, the tuner's decision (the knobs of the next
 * round and why), the lowest validation loss so far (what the tuner compares the next round with), the factor
 * on the schedule's learning rate, and the roll-back this round ended with ({@code null} when it did not
 * diverge: then the state is the round's own).
 */
public record RoundState(TranslationModel model, float[] updaterState, int round, long step,
                         TunerDecision decision, double bestValidNll, double learningRateScale,
                         Rollback rollback) {

    /** A diverged round's way back: to which round's state, why, and the learning-rate factor from now on. */
    public record Rollback(int toRound, String reason, double learningRateScale) {
    }

    /** The knobs of the next round. */
    public Knobs knobs() {
        return decision.knobs();
    }
}
