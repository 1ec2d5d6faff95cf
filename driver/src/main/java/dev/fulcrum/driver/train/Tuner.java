package dev.fulcrum.driver.train;

import dev.fulcrum.model.config.Knobs;

/**
 * Chooses the balancing knobs of the next round from the last round's report. The knobs reach the
 * replicas with the next broadcast: no rebuild, no restart.
 */
public interface Tuner {
    /** A decision: the knobs for the next round and why (logged, stored in the model's provenance). */
    record Decision(Knobs knobs, String reason) {
    }

    Decision decide(RoundReport report);

    /** Never moves the knobs. */
    static Tuner fixed() {
        return report -> new Decision(report.knobs(), "fixed policy");
    }
}
