package dev.fulcrum.jobs.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fulcrum.driver.run.MetricsLog;

/**
 * metrics.jsonl (one line per round, see the driver's MetricsLog) as series over rounds: the learning
 * curves, the knobs, the tuner's decisions and the per-head attention statistics. Every series has one
 * value per round, null where a round lacks it, so that the page can plot them against {@link #rounds()}.
 *
 * @param lines        the parsed lines, in file order
 * @param skippedLines lines that are not a JSON object with a round number (e.g. cut short by a crash)
 */
record MetricsSeries(List<JsonNode> lines, int skippedLines) {
    /** The figures of the learning curves, as MetricsLog names them. */
    static final List<String> CURVES = List.of("trainLoss", "validNll", "validPerplexity", "bleu", "chrf");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The series of {@code file}; none when the file does not exist (a run that has not finished a round). */
    static MetricsSeries read(Path file) throws IOException {
        return of(MetricsLog.read(file));
    }

    static MetricsSeries parse(List<String> lines) {
        return of(MetricsLog.parse(lines));
    }

    private static MetricsSeries of(MetricsLog.Lines lines) {
        return new MetricsSeries(lines.rounds(), lines.skippedLines());
    }

    ArrayNode rounds() {
        ArrayNode rounds = NODES.arrayNode();
        lines.forEach(line -> rounds.add(line.path("round").asInt()));
        return rounds;
    }

    /** Learning-curve name → one value per round. */
    ObjectNode curves() {
        ObjectNode curves = NODES.objectNode();
        for (String name : CURVES) {
            ArrayNode values = curves.putArray(name);
            lines.forEach(line -> addNumberOrNull(values, line.path(name)));
        }
        return curves;
    }

    /** Knob name → one value per round, for every knob any round names (in the order first seen). */
    ObjectNode knobs() {
        Map<String, ArrayNode> knobs = new LinkedHashMap<>();
        for (int round = 0; round < lines.size(); round++) {
            for (Map.Entry<String, JsonNode> knob : fields(lines.get(round).path("knobs"))) {
                addAt(knobs.computeIfAbsent(knob.getKey(), name -> NODES.arrayNode()), round, knob.getValue());
            }
        }
        return padded(knobs);
    }

    /** The rounds whose line records a tuner decision: {round, reason, knobs}, in file order. */
    ArrayNode decisions() {
        ArrayNode decisions = NODES.arrayNode();
        for (JsonNode line : lines) {
            JsonNode decision = line.path("decision");
            if (decision.isObject()) {
                ObjectNode row = decisions.addObject();
                row.put("round", line.path("round").asInt());
                row.put("reason", decision.path("reason").asText(""));
                row.set("knobs", decision.path("knobs").isObject() ? decision.get("knobs") : NODES.objectNode());
            }
        }
        return decisions;
    }

    /**
     * The per-head attention statistics: layer → statistic → [head][round]. MetricsLog keys them
     * {@code layer.statistic} (e.g. {@code enc0.self.entropy}); heads a round lacks (pruned, or a line
     * from another model size) are null in that round.
     */
    ObjectNode attention() {
        Map<String, Map<String, List<ArrayNode>>> layers = new LinkedHashMap<>();
        for (int round = 0; round < lines.size(); round++) {
            for (Map.Entry<String, JsonNode> entry : fields(lines.get(round).path("attention"))) {
                int dot = entry.getKey().lastIndexOf('.');
                if (dot <= 0 || !entry.getValue().isArray()) {
                    continue;
                }
                List<ArrayNode> heads = layers.computeIfAbsent(entry.getKey().substring(0, dot),
                        layer -> new LinkedHashMap<>()).computeIfAbsent(entry.getKey().substring(dot + 1),
                        statistic -> new ArrayList<>());
                JsonNode perHead = entry.getValue();
                for (int head = 0; head < perHead.size(); head++) {
                    if (heads.size() <= head) {
                        heads.add(NODES.arrayNode());
                    }
                    addAt(heads.get(head), round, perHead.get(head));
                }
            }
        }
        ObjectNode attention = NODES.objectNode();
        layers.forEach((layer, statistics) -> {
            ObjectNode byStatistic = attention.putObject(layer);
            statistics.forEach((statistic, heads) -> {
                ArrayNode byHead = byStatistic.putArray(statistic);
                heads.forEach(series -> byHead.add(padTo(series, lines.size())));
            });
        });
        return attention;
    }

    private ObjectNode padded(Map<String, ArrayNode> series) {
        ObjectNode result = NODES.objectNode();
        series.forEach((name, values) -> result.set(name, padTo(values, lines.size())));
        return result;
    }

    /** Sets {@code series[round]} to the value, with null for the rounds before it that had none. */
    private static void addAt(ArrayNode series, int round, JsonNode value) {
        padTo(series, round);
        addNumberOrNull(series, value);
    }

    private static ArrayNode padTo(ArrayNode series, int size) {
        while (series.size() < size) {
            series.addNull();
        }
        return series;
    }

    private static void addNumberOrNull(ArrayNode series, JsonNode value) {
        if (value.isNumber()) {
            series.add(value);
        } else {
            series.addNull();
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode object) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        return () -> fields;
    }

}
