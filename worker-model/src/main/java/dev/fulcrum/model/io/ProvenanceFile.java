package dev.fulcrum.model.io;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fulcrum.model.Provenance;

/**
 * provenance.json: the {@link Provenance} as JSON. Files written before head pruning existed lack the
 * {@code pruning} list; they describe models as trained, so the reader supplies an empty one, and every
 * other field stays as strictly required as in the other model files.
 */
final class ProvenanceFile {
    private static final String WHAT = "a model provenance";
    private static final String PRUNING = "pruning";

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
        return Json.bind(object, Provenance.class, file, WHAT);
    }
}
