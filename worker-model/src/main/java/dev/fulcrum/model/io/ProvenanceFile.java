package dev.fulcrum.model.io;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fulcrum.model.Provenance;

/**
 * provenance.json: the {@link Provenance} as JSON. Older files are brought up to date with what their models
 * were trained with: files written before head pruning existed lack the {@code pruning} list (the model is as
 * trained: an empty one), files written before the gate learning-rate scale existed lack it (gates then
 * learned at the common rate: 1.0), and older knob decisions lack what {@link KnobsLayout} adds. Every other field stays as strictly required as in the other model files.
 */
final class ProvenanceFile {
    private static final String WHAT = "a model provenance";
    private static final String PRUNING = "pruning";
    private static final String TRAINING = "trainingConfig";
    private static final String GATE_SCALE = "gateLearningRateScale";
    private static final String KNOB_HISTORY = "knobHistory";
    private static final String KNOBS = "knobs";
    /** What every model trained before the scale existed used, whatever today's default is. */
    private static final double GATE_SCALE_BEFORE_IT_EXISTED = 1.0;

    private ProvenanceFile() {
    }

    static void write(Provenance provenance, Path file) throws IOException {
        Json.write(provenance, file);
    }

    static Provenance read(Path file) throws IOException {
        JsonNode tree = Json.readTree(file, WHAT);
        if (!(tree instanceof ObjectNode object)) {
            throw new ModelFormatException(file, "is not " + WHAT + ": no JSON object");
        }
        if (!object.has(PRUNING)) {
            object.putArray(PRUNING);
        }
        if (object.get(TRAINING) instanceof ObjectNode training && !training.has(GATE_SCALE)) {
            training.put(GATE_SCALE, GATE_SCALE_BEFORE_IT_EXISTED);
        }
        object.path(KNOB_HISTORY).forEach(decision -> KnobsLayout.bringUpToDate(decision.path(KNOBS)));
        return Json.bind(object, Provenance.class, file, WHAT);
    }
}
