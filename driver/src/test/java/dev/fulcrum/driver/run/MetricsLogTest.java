package dev.fulcrum.driver.run;

import dev.fulcrum.driver.round.TunerDecision;
import static dev.fulcrum.driver.train.RoundReports.attention;
import static dev.fulcrum.driver.train.RoundReports.heads;
import static dev.fulcrum.driver.train.RoundReports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.driver.round.RoundReport;
import dev.fulcrum.driver.round.RoundState;
import dev.fulcrum.driver.tune.Tuner;
import dev.fulcrum.model.config.Knobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    private static final Knobs BEFORE = new Knobs(0.1, 0.1, 0.9, 0, 0);
    private static final Knobs AFTER = new Knobs(0.3, 0.1, 0.9, 0, 0);

    private static RoundState after(RoundReport report, TunerDecision decision) {
        return new RoundState(null, new float[0], report.round(), report.step(), decision, report.bestValidNll(), 1.0, null);
    }

    @Test
    void theTunersDecisionIsWrittenWithItsRound(@TempDir Path dir) throws IOException {
        MetricsLog log = new MetricsLog(dir.resolve("metrics.jsonl"));
        RoundReport report = report(BEFORE, attention("enc0.self.entropy", heads(0.02)));
        log.onRoundEnd(report, after(report, new TunerDecision(AFTER, "entropyWeight 0.1→0.3: collapse")));

        JsonNode line = new ObjectMapper().readTree(Files.readAllLines(dir.resolve("metrics.jsonl")).get(0));
        assertEquals(0.1, line.at("/knobs/entropyWeight").asDouble(), "the knobs the round trained with");
        assertEquals(0.3, line.at("/decision/knobs/entropyWeight").asDouble(), "the knobs of the next round");
        assertEquals("entropyWeight 0.1→0.3: collapse", line.at("/decision/reason").asText());
    }

    /** Issue 16, item 2: run files are not written through a symbolic link planted in the run directory. */
    @Test
    void metricsAreNeverWrittenThroughASymbolicLink(@TempDir Path dir) throws IOException {
        Path elsewhere = Files.writeString(dir.resolve("users-file.txt"), "precious\n");
        Path link = Files.createSymbolicLink(dir.resolve("metrics.jsonl"), elsewhere);
        RoundReport report = report(BEFORE, attention("enc0.self.entropy", heads(0.02)));

        assertThrows(IOException.class, () -> new MetricsLog(link).onRoundEnd(report,
                after(report, new TunerDecision(AFTER, "reason"))));
        assertEquals("precious\n", Files.readString(elsewhere));
    }

    @Test
    void bestLossSoFarIsReadBackFromTheLinesKept(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        assertEquals(Double.POSITIVE_INFINITY, new MetricsLog(file).bestValidNll(), "no file yet");
        Files.write(file, List.of("{\"round\":1,\"validNll\":3.0}", "{\"round\":2,\"validNll\":null}",
                "{\"round\":3,\"validNll\":2.5}", "{\"round\":4,\"validNll\":2.0}", "{\"round\":5,\"valid"));
        MetricsLog log = new MetricsLog(file);
        assertEquals(2.0, log.bestValidNll());
        log.truncateAfter(3);
        assertEquals(2.5, log.bestValidNll(), "rounds after the checkpoint resumed from do not count");
    }
}
