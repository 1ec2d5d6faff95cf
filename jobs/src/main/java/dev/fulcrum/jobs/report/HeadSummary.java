package dev.fulcrum.jobs.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.transformer.TransformerGraph;

/**
 * Which heads the final model kept: per attention layer, the kept and total heads of model.json's head plan
 * (a layer the plan does not name keeps all), and the model's provenance.json as it is (which carries the
 * tuner's knob history and, once pruning records it, why heads were pruned).
 */
final class HeadSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HeadSummary() {
    }

    /** {layers: [{layer, kept, total}], kept, total}, or why there is none. */
    static Part heads(Path modelDir) {
        Path file = modelDir.resolve("model.json");
        if (!Files.exists(file)) {
            return Part.absent("no " + file + " (the run has not exported a model yet)");
        }
        try {
            JsonNode description = JSON.readTree(file.toFile());
            ModelConfig config = JSON.treeToValue(description.path("config"), ModelConfig.class);
            JsonNode keptHeads = description.path("headPlan").path("keptHeads");
            ObjectNode summary = JSON.createObjectNode();
            ArrayNode layers = summary.putArray("layers");
            int kept = 0;
            for (String layer : TransformerGraph.attentionLayers(config)) {
                int layerKept = keptHeads.path(layer).asInt(config.heads());
                layers.addObject().put("layer", layer).put("kept", layerKept).put("total", config.heads());
                kept += layerKept;
            }
            summary.put("kept", kept);
            summary.put("total", layers.size() * config.heads());
            return Part.of(summary);
        } catch (IOException | RuntimeException e) {
            return Part.absent(file + " cannot be read: " + e.getMessage());
        }
    }

    /** provenance.json as written, or why there is none. */
    static Part provenance(Path modelDir) {
        Path file = modelDir.resolve("provenance.json");
        if (!Files.exists(file)) {
            return Part.absent("no " + file);
        }
        try {
            return Part.of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            return Part.absent(file + " cannot be read: " + e.getMessage());
        }
    }
}
