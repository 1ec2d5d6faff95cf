package dev.fulcrum.model.attention.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Pins the defect on the DL4J release we build against; fails (to be revisited) once a release fixes it. */
class ExternalErrorsGainTest {
    @Test
    void externalErrorsAreCountedTwiceOnM21() {
        assertEquals(2.0, ExternalErrorsGain.measure(), 0.0);
    }

    @Test
    void correctionFactorUndoesTheGainExactly() {
        assertEquals(0.5, ExternalErrorsGain.correctionFactor(), 0.0);
        assertEquals(1.0, ExternalErrorsGain.measure() * ExternalErrorsGain.correctionFactor(), 0.0);
    }
}
