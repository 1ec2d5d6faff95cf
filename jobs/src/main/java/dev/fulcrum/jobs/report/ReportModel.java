package dev.fulcrum.jobs.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fulcrum.driver.run.RunDirectory;

/**
 * What the report shows, read from a run directory, as the one JSON document the page script renders:
 * {@code run, generatedAt, rounds, curves, knobs, decisions, attention, heads, provenance, heatmaps, runConf}
 * and {@code notes} (section → why it is empty or partial). Files a run has not written yet are notes, not
 * errors.
 */
final class ReportModel {
    private ReportModel() {
    }

    static ObjectNode read(Path runDir) throws IOException {
        ObjectNode page = JsonNodeFactory.instance.objectNode();
        ObjectNode notes = JsonNodeFactory.instance.objectNode();
        page.put("run", runDir.toAbsolutePath().normalize().toString());
        page.put("generatedAt", Instant.now().toString());
        RunDirectory run = new RunDirectory(runDir);

        MetricsSeries metrics = MetricsSeries.read(run.metrics());
        page.set("rounds", metrics.rounds());
        page.set("curves", metrics.curves());
        page.set("knobs", metrics.knobs());
        page.set("attention", metrics.attention());
        if (metrics.lines().isEmpty()) {
            notes.put("metrics", "no rounds in " + run.metrics());
        } else if (metrics.skippedLines() > 0) {
            notes.put("metrics", metrics.skippedLines() + " line(s) of " + run.metrics().getFileName()
                    + " could not be read and are left out");
        }

        Path model = run.model();
        put(page, notes, "heads", HeadSummary.heads(model));
        Part provenance = HeadSummary.provenance(model);
        put(page, notes, "provenance", provenance);
        JsonNode decisions = metrics.decisions();
        JsonNode knobHistory = provenance.data() == null ? null : provenance.data().path("knobHistory");
        if (decisions.isEmpty() && knobHistory != null && knobHistory.isArray() && !knobHistory.isEmpty()) {
            // A run from before metrics.jsonl recorded decisions: the model's knob history has the same rows.
            decisions = knobHistory;
            notes.put("decisions", "from the model's provenance.json (knobHistory)");
        }
        page.set("decisions", decisions);
        put(page, notes, "heatmaps", AttentionHeatmaps.read(run.attentionMaps()));

        Path runConf = run.config();
        if (Files.exists(runConf)) {
            page.put("runConf", Files.readString(runConf, StandardCharsets.UTF_8));
        } else {
            page.putNull("runConf");
            notes.put("runConf", "no " + runConf);
        }
        page.set("notes", notes);
        return page;
    }

    private static void put(ObjectNode page, ObjectNode notes, String section, Part part) {
        page.set(section, part.data());
        if (part.note() != null) {
            notes.put(section, part.note());
        }
    }
}
