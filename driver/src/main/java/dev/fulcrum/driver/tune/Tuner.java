package dev.fulcrum.driver.tune;

import dev.fulcrum.driver.round.TunerDecision;
import dev.fulcrum.driver.round.RoundReport;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.config.Knobs;

/**
 * Chooses the balancing knobs of the next round from the last round's report. The knobs reach the
 * replicas with the next broadcast: no rebuild, no restart. A tuner keeps no state of its own: what it needs
 * from earlier rounds is in the report (e.g. {@link RoundReport#bestValidNllBefore()}), so that a resumed run
 * decides exactly as an uninterrupted one.
 */
public interface Tuner {

    /** The policy's name as configured ({@code tuner.policy}), recorded in the model's provenance. */
    String policy();

    TunerDecision decide(RoundReport report);

    /** The policy {@code tuner.policy} names. */
    static Tuner of(RunConfig.TunerSettings settings) {
        return switch (settings.policy()) {
            case RunConfig.TunerSettings.FIXED -> fixed();
            case RunConfig.TunerSettings.DUAL_ASCENT -> new DualAscentTuner(settings);
            default -> throw new IllegalArgumentException("no tuner policy " + settings.policy());
        };
    }

    /** Never moves the knobs. */
    static Tuner fixed() {
        return new Tuner() {
            @Override
            public String policy() {
                return RunConfig.TunerSettings.FIXED;
            }

            @Override
            public TunerDecision decide(RoundReport report) {
                return new TunerDecision(report.knobs(), "no change: fixed policy");
            }
        };
    }
}
