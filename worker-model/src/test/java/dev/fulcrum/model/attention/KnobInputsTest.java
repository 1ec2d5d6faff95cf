package dev.fulcrum.model.attention;

import dev.fulcrum.model.config.Knob;
import dev.fulcrum.model.config.Knobs;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The knob vector written by {@link Knobs#toArray()} reads back, in the graph, as the same named knobs. */
class KnobInputsTest {

    @Test
    void everyKnobRoundTripsThroughTheGraphsVector() {
        Knobs knobs = new Knobs(0.5, 0.25, 0.75, 2.0, 3.0, 4.0); // all different, so a swap shows
        SameDiff sd = SameDiff.create();
        KnobInputs inputs = KnobInputs.of(sd.placeHolder("knobs", DataType.DOUBLE, Knobs.SIZE));
        Map<Knob, SDVariable> read = Map.of(
                Knob.ENTROPY_WEIGHT, inputs.entropyWeight(),
                Knob.ENTROPY_LOW, inputs.entropyLow(),
                Knob.ENTROPY_HIGH, inputs.entropyHigh(),
                Knob.COVERAGE_WEIGHT, inputs.coverageWeight(),
                Knob.GATE_WEIGHT, inputs.gateWeight(),
                Knob.DECODER_GATE_SCALE, inputs.decoderGateScale());
        assertEquals(Knob.values().length, read.size(), "KnobInputs names every knob");

        Map<String, org.nd4j.linalg.api.ndarray.INDArray> feed =
                Map.of("knobs", Nd4j.createFromArray(knobs.toArray()).castTo(DataType.DOUBLE));
        for (Knob knob : Knob.values()) {
            assertEquals(knob.valueIn(knobs), read.get(knob).eval(feed).getDouble(0), 1e-7, knob.name());
        }
    }
}
