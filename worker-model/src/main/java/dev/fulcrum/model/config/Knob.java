package dev.fulcrum.model.config;

import java.util.function.ToDoubleFunction;

/**
 * The knobs in the order of the graph's knob vector: {@link Knobs#toArray()} writes them in this order and
 * the graph reads them by {@link #index()}, so the two cannot disagree. A new knob is a constant here, a
 * component of {@link Knobs} and the penalty that reads it.
 */
public enum Knob {
    ENTROPY_WEIGHT(Knobs::entropyWeight),
    ENTROPY_LOW(Knobs::entropyLow),
    ENTROPY_HIGH(Knobs::entropyHigh),
    COVERAGE_WEIGHT(Knobs::coverageWeight),
    GATE_WEIGHT(Knobs::gateWeight),
    DECODER_GATE_SCALE(Knobs::decoderGateScale);

    private final ToDoubleFunction<Knobs> value;

    Knob(ToDoubleFunction<Knobs> value) {
        this.value = value;
    }

    /** Position in the knob vector. */
    public int index() {
        return ordinal();
    }

    public double valueIn(Knobs knobs) {
        return value.applyAsDouble(knobs);
    }
}
