package dev.fulcrum.model.attention;

import dev.fulcrum.model.config.Knob;
import dev.fulcrum.model.config.Knobs;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;

/** The knob placeholder vector (see {@link Knobs#toArray()}) split into named scalars, by {@link Knob}. */
public record KnobInputs(SDVariable entropyWeight, SDVariable entropyLow, SDVariable entropyHigh,
                         SDVariable coverageWeight, SDVariable gateWeight, SDVariable decoderGateScale) {

    public static KnobInputs of(SDVariable knobs) {
        return new KnobInputs(at(knobs, Knob.ENTROPY_WEIGHT), at(knobs, Knob.ENTROPY_LOW), at(knobs, Knob.ENTROPY_HIGH),
                at(knobs, Knob.COVERAGE_WEIGHT), at(knobs, Knob.GATE_WEIGHT), at(knobs, Knob.DECODER_GATE_SCALE));
    }

    private static SDVariable at(SDVariable knobs, Knob knob) {
        return knobs.get(SDIndex.point(knob.index()));
    }
}
