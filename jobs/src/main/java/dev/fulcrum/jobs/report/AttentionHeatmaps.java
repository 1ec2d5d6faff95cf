package dev.fulcrum.jobs.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The heatmaps of attention.json: {@code {"sentences":[{"source":[tokens],"target":[tokens],"layers":
 * {"enc0.self":[head][query][key], ...}}]}}. Encoder self-attention is source × source, decoder
 * self-attention target × target, cross-attention target queries × source keys.
 */
final class AttentionHeatmaps {
    /**
     * Validation sentences shown: enough to see what the heads do, few enough to keep the page light (each
     * sentence costs layers × heads charts).
     */
    static final int SENTENCES = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private AttentionHeatmaps() {
    }

    /**
     * [{source, target, layers: [{layer, queries, keys, heads}]}] for the first {@link #SENTENCES} sentences,
     * or why there is none. {@code queries} and {@code keys} label the rows and columns of every head's
     * matrix: the tokens, or positions when the tokens do not match the matrix.
     */
    static Part read(Path file) {
        if (!Files.exists(file)) {
            return Part.absent("no " + file + ": this run recorded no attention maps");
        }
        try {
            JsonNode sentences = JSON.readTree(file.toFile()).path("sentences");
            ArrayNode shown = JSON.createArrayNode();
            for (int i = 0; i < Math.min(SENTENCES, sentences.size()); i++) {
                shown.add(sentence(sentences.get(i)));
            }
            if (shown.isEmpty()) {
                return Part.absent(file + " holds no sentences");
            }
            String more = sentences.size() > SENTENCES
                    ? "the first " + SENTENCES + " of " + sentences.size() + " sentences" : null;
            return new Part(shown, more);
        } catch (IOException e) {
            return Part.absent(file + " cannot be read: " + e.getMessage());
        }
    }

    private static ObjectNode sentence(JsonNode sentence) {
        JsonNode source = sentence.path("source");
        JsonNode target = sentence.path("target");
        ObjectNode shown = JSON.createObjectNode();
        shown.set("source", source);
        shown.set("target", target);
        ArrayNode layers = shown.putArray("layers");
        for (Iterator<Map.Entry<String, JsonNode>> it = sentence.path("layers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> layer = it.next();
            JsonNode heads = layer.getValue();
            JsonNode firstHead = heads.path(0);
            boolean cross = layer.getKey().endsWith(".cross");
            boolean encoder = layer.getKey().startsWith("enc");
            ObjectNode map = layers.addObject();
            map.put("layer", layer.getKey());
            map.set("queries", labels(encoder ? source : target, firstHead.size()));
            map.set("keys", labels(cross || encoder ? source : target, firstHead.path(0).size()));
            map.set("heads", heads);
        }
        return shown;
    }

    /** The tokens, if there is one per position, else the positions 0..n-1. */
    private static JsonNode labels(JsonNode tokens, int positions) {
        if (tokens.isArray() && tokens.size() == positions) {
            return tokens;
        }
        ArrayNode numbers = JSON.createArrayNode();
        for (int i = 0; i < positions; i++) {
            numbers.add(String.valueOf(i));
        }
        return numbers;
    }
}
