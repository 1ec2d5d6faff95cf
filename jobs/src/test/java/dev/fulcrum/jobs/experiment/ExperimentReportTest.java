package dev.fulcrum.jobs.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiment table: one row per variant, ΔBLEU against the first, missing values shown as such. */
class ExperimentReportTest {
    private static final ExperimentReport.Header HEADER = new ExperimentReport.Header("conf/x.conf",
            "fulcrum experiment --conf conf/x.conf", "2026-01-02T03:04:05Z", "abc123", "2 cores, test CPU",
            Map.of("rounds", 8), Map.of("sentences", 200));

    private static final VariantResult SOFTMAX = new VariantResult("softmax", 20.5, 45.25, 2.5, Math.exp(2.5),
            24, 24, 12.34, 200, 1_234_567, 480.26, 320, "");
    private static final VariantResult GATED = new VariantResult("budget-50", 19.25, 44.0, 2.6, Math.exp(2.6),
            11, 24, 15.0, 200, 1_234_567, 501.0, 320, "");
    private static final VariantResult EMPTY = new VariantResult("sinkhorn", Double.NaN, Double.NaN, 2.7,
            Math.exp(2.7), 24, 24, Double.NaN, 200, 1_234_567, 490.0, 320, "NullPointerException: x");

    private final ExperimentReport report = new ExperimentReport(HEADER, List.of(SOFTMAX, GATED, EMPTY));

    @Test
    void tableHasAHeaderAndOneRowPerVariantWithTheBleuDeltaToTheFirst() {
        List<String> lines = report.table().lines().toList();
        assertEquals(5, lines.size(), report.table());
        assertTrue(lines.get(0).startsWith("| variant | BLEU | ΔBLEU | chrF | valid NLL | perplexity | active heads"),
                lines.get(0));
        assertEquals("| softmax | 20.50 | baseline | 45.25 | 2.500 | 12.18 | 24 of 24 | 12.3 | 1,234,567 | 480.3 |",
                lines.get(2));
        assertEquals("| budget-50 | 19.25 | -1.25 | 44.00 | 2.600 | 13.46 | 11 of 24 | 15.0 | 1,234,567 | 501.0 |",
                lines.get(3));
        assertEquals("| sinkhorn | - | - | - | 2.700 | 14.88 | 24 of 24 | - | 1,234,567 | 490.0 |", lines.get(4));
    }

    @Test
    void markdownSaysWhatTheFiguresWereMeasuredOn() {
        String md = report.markdown();
        for (String expected : List.of("`fulcrum experiment --conf conf/x.conf`", "2026-01-02T03:04:05Z", "abc123",
                "2 cores, test CPU", "rounds 8", "sentences 200", report.table(),
                "sinkhorn: the final model could not translate the sample: NullPointerException: x")) {
            assertTrue(md.contains(expected), expected + " in\n" + md);
        }
    }

    @Test
    void jsonHasTheSameRowsWithNullForMissingValues(@TempDir Path dir) throws Exception {
        report.write(dir);
        JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve(ExperimentReport.JSON_FILE)));
        JsonNode variants = json.get("variants");
        assertEquals(3, variants.size());
        assertEquals("budget-50", variants.get(1).get("name").asText());
        assertEquals(-1.25, variants.get(1).get("bleuDelta").asDouble(), 1e-9);
        assertEquals(11, variants.get(1).get("activeHeads").asInt());
        assertTrue(variants.get(2).get("bleu").isNull());
        assertTrue(variants.get(2).get("sentencesPerSecond").isNull());
        assertEquals("NullPointerException: x", variants.get(2).get("decodeFailure").asText());
        assertTrue(variants.get(0).get("decodeFailure").isNull());
        assertEquals(1_234_567, variants.get(2).get("trainingTokens").asLong());
        assertEquals("abc123", json.get("gitRevision").asText());
        assertEquals(report.markdown(),
                Files.readString(dir.resolve(ExperimentReport.MARKDOWN), StandardCharsets.UTF_8));
    }
}
