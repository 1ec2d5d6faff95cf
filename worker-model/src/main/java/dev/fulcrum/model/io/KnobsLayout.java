package dev.fulcrum.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fulcrum.model.config.Knobs;

/**
 * Knobs as older files wrote them: before {@code decoderGateScale} existed every gate was penalised alike,
 * which is {@link Knobs#EVEN_GATE_SCALE}. Provenance files and checkpoint indexes both hold knobs.
 */
final class KnobsLayout {
    private static final String DECODER_GATE_SCALE = "decoderGateScale";

    private KnobsLayout() {
    }

    /** Adds what {@code knobs} (a knobs JSON object, or anything else, left alone) lacks, in place. */
    static void bringUpToDate(JsonNode knobs) {
        if (knobs instanceof ObjectNode object && !object.has(DECODER_GATE_SCALE)) {
            object.put(DECODER_GATE_SCALE, Knobs.EVEN_GATE_SCALE);
        }
    }
}
