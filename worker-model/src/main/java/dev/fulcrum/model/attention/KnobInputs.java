package dev.fulcrum.model.attention;

import dev.fulcrum.model.config.Knobs;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;

/** The knob placeholder vector (see {@link Knobs#toArray()}) split into named scalars. */
public record KnobInputs(SDVariable entropyWeight, SDVariable entropyLow, SDVariable entropyHigh,
                         SDVariable coverageWeight, SDVariable gateWeight, SDVariable decoderGateScale) {

    public static KnobInputs of(SDVariable knobs) {
        return new KnobInputs(at(knobs, 0), at(knobs, 1), at(knobs, 2), at(knobs, 3), at(knobs, 4), at(knobs, 5));
    }

    private static SDVariable at(SDVariable knobs, int index) {
        return knobs.get(SDIndex.point(index));
    }
}
