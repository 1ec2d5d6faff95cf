package dev.fulcrum.driver.train;

import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.Knobs;

/**
 * The averaged state after a round: the model (parameters, vocabulary, provenance with the knob history),
 * the averaged optimiser state, rounds finished, global step, and the knobs of the next round.
 */
public record RoundState(TranslationModel model, float[] updaterState, int round, long step, Knobs knobs) {
}
