package dev.fulcrum.driver.round;

import dev.fulcrum.model.config.Knobs;

/**
 * A tuner's decision: the knobs for the next round and why (printed, written to metrics.jsonl, stored in the
 * model's provenance when the knobs change), and whether to settle the head gates for good before it
 * (see {@link dev.fulcrum.model.prune.GateSettlement}).
 */
public record TunerDecision(Knobs knobs, String reason, boolean settleGates) {
    public TunerDecision(Knobs knobs, String reason) {
        this(knobs, reason, false);
    }
}
