package dev.fulcrum.jobs.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small synthetic run directory as training leaves it: metrics.jsonl (4 rounds, tuner decisions in two of
 * them, one line cut short), attention.json (2 sentences, 3 layers, 2 heads), model/model.json with a head
 * plan that pruned one head of dec0.cross, model/provenance.json and run.conf. Tokens and configuration
 * text hold what would break a careless page: a closing script tag, quotes, markup, a line separator.
 */
final class RunFixture {
    static final int ROUNDS = 4;
    static final int HEADS = 2;
    static final List<String> LAYERS = List.of("enc0.self", "dec0.self", "dec0.cross");
    /** Layers with statistics in metrics.jsonl (the decoder's self-attention has none, as in real runs). */
    static final List<String> STATISTIC_LAYERS = List.of("enc0.self", "dec0.cross");
    static final List<String> STATISTICS = List.of("entropy", "coverageUnderRun");
    static final int SENTENCES = 2;
    /** Would mark the page if the data escaped into markup: {@code <body data-pwned>}. */
    static final String INJECTION = "</script><script>document.body.setAttribute('data-pwned','1')</script>";
    static final List<String> SOURCE = List.of("open", INJECTION, "\"file\"", "<b>it's</b>");
    static final List<String> TARGET = List.of("ouvrir", "le", "fichier&amp;\u2028");

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunFixture() {
    }

    /** Writes the whole run directory into {@code dir} and returns it. */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("model"));
        writeMetrics(dir.resolve("metrics.jsonl"));
        writeAttention(dir.resolve("attention.json"));
        writeModel(dir.resolve("model"));
        Files.writeString(dir.resolve("run.conf"), "model {\n    heads=2\n}\nnote=\"" + INJECTION + "\"\n",
                StandardCharsets.UTF_8);
        return dir;
    }

    static void writeMetrics(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            lines.add(JSON.writeValueAsString(line(round)));
        }
        lines.add("{\"round\":5,\"trainLoss\":1.2");
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    static Map<String, Object> line(int round) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("round", round);
        line.put("step", round * 10);
        line.put("trainLoss", 5.0 / round);
        line.put("validNll", 4.0 / round);
        line.put("validPerplexity", Math.exp(4.0 / round));
        line.put("bleu", round == 1 ? null : 10.0 * round);
        line.put("chrf", 12.0 * round);
        line.put("knobs", Map.of("entropyWeight", 0.01 * round, "coverageWeight", 0.0, "gateWeight", 0.0,
                "entropyLow", 0.1, "entropyHigh", 0.9));
        Map<String, Object> attention = new LinkedHashMap<>();
        for (String layer : STATISTIC_LAYERS) {
            for (String statistic : STATISTICS) {
                attention.put(layer + "." + statistic, List.of(0.1 * round, 0.2 * round));
            }
        }
        line.put("attention", attention);
        if (round % 2 == 0) {
            line.put("decision", Map.of("knobs", Map.of("entropyWeight", 0.01 * (round + 1)),
                    "reason", "heads collapsing: " + INJECTION));
        }
        return line;
    }

    static void writeAttention(Path file) throws IOException {
        List<Object> sentences = new ArrayList<>();
        for (int s = 0; s < SENTENCES; s++) {
            sentences.add(Map.of("source", SOURCE, "target", TARGET, "layers", Map.of(
                    "enc0.self", heads(SOURCE.size(), SOURCE.size()),
                    "dec0.self", heads(TARGET.size(), TARGET.size()),
                    "dec0.cross", heads(TARGET.size(), SOURCE.size()))));
        }
        JSON.writeValue(file.toFile(), Map.of("sentences", sentences));
    }

    /** [head][query][key] weights, each row summing to 1. */
    static double[][][] heads(int queries, int keys) {
        double[][][] weights = new double[HEADS][queries][keys];
        for (int h = 0; h < HEADS; h++) {
            for (int q = 0; q < queries; q++) {
                for (int k = 0; k < keys; k++) {
                    weights[h][q][k] = (k == (q + h) % keys ? 0.7 : 0.3 / (keys - 1));
                }
            }
        }
        return weights;
    }

    static void writeModel(Path modelDir) throws IOException {
        Files.writeString(modelDir.resolve("model.json"), """
                {"format":"fulcrum-model","version":1,
                 "config":{"vocabSize":64,"modelDim":8,"heads":2,"ffnDim":16,"encoderLayers":1,"decoderLayers":1,
                   "dropout":0.1,"labelSmoothing":0.1,"maxLength":16,"normalization":"softmax",
                   "sinkhornIterations":3,"headGates":true},
                 "headPlan":{"keptHeads":{"dec0.cross":1}},"dataType":"FLOAT"}""", StandardCharsets.UTF_8);
        Files.writeString(modelDir.resolve("provenance.json"),
                "{\"gitRevision\":\"abc\",\"pruning\":{\"reason\":\"" + INJECTION.replace("\"", "\\\"") + "\"}}",
                StandardCharsets.UTF_8);
    }
}
