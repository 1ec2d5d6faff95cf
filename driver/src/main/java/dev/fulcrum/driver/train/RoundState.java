package dev.fulcrum.driver.train;

import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.Knobs;

/**
 * The averaged state after a round: the model (parameters, vocabulary, provenance with the knob history),
 * the averaged optimiser state, rounds finished, global step, the tuner's decision (the knobs of the next
 * round and why) and the lowest validation loss so far (what the tuner compares the next round with).
 */
public record RoundState(TranslationModel model, float[] updaterState, int round, long step,
                         Tuner.Decision decision, double bestValidNll) {

    /** The knobs of the next round. */
    public Knobs knobs() {
        return decision.knobs();
    }
}
