package dev.fulcrum.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.jobs.cluster.LocalCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fulcrum experiment} end to end on the shipped sample corpus: two variants of a tiny model, two short
 * rounds each (plain softmax, and head gates with a budget under dual ascent), in one Spark session. Proves the
 * wiring (a row per variant, finite figures, the same training tokens for both: equal compute), not quality.
 */
@Tag("slow")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExperimentCommandTest {
    private static final List<String> VARIANTS = List.of("softmax", "budget-50");
    private static final int DECODED = 8;

    private static String experiment(Path repo) {
        return """
                set {
                  corpus { train = "%s", valid = "%s" }
                  vocab.size = 400
                  model { modelDim = 16, heads = 2, ffnDim = 32, encoderLayers = 1, decoderLayers = 1, maxLength = 32 }
                  train { rounds = 2, stepsPerRound = 3, batchTokens = 400, replicas = 2, warmupSteps = 4 }
                  eval { bleuSentences = 0, examples = 0 }
                  spark.master = "local[2]"
                }
                decodeSentences = %d
                variants = [
                  { name = softmax, set { "model.normalization" = softmax, "tuner.policy" = fixed } }
                  { name = budget-50, set { "model.headGates" = true, "tuner.headBudget" = 0.5 } }
                ]
                """.formatted(repo.resolve("data/sample/en-fr/train.tsv"), repo.resolve("data/sample/en-fr/valid.tsv"),
                DECODED);
    }

    @Test
    void trainsEveryVariantAtEqualComputeAndWritesTheTable(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("tiny.conf"), experiment(LocalCluster.repoRoot()));
        Path out = dir.resolve("out");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exitCode;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            exitCode = FulcrumCli.run("experiment", "--conf", conf.toString(), "--out", out.toString());
        } finally {
            System.setOut(original);
        }
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, exitCode, printed);

        JsonNode variants = new ObjectMapper().readTree(out.resolve("experiment.json").toFile()).get("variants");
        assertEquals(VARIANTS.size(), variants.size(), variants.toString());
        for (int i = 0; i < VARIANTS.size(); i++) {
            JsonNode row = variants.get(i);
            assertEquals(VARIANTS.get(i), row.get("name").asText());
            for (String figure : List.of("bleu", "chrf", "validNll", "perplexity", "sentencesPerSecond",
                    "trainingSeconds")) {
                assertTrue(row.get(figure).isNumber() && Double.isFinite(row.get(figure).asDouble()),
                        figure + " of " + row);
            }
            assertTrue(row.get("trainingTokens").asLong() > 0, row.toString());
            assertEquals(variants.get(0).get("trainingTokens").asLong(), row.get("trainingTokens").asLong(),
                    "equal compute: the same tokens for every variant");
            assertEquals(6, row.get("steps").asLong(), "2 rounds of 3 steps");
            assertEquals(DECODED, row.get("decodedSentences").asInt());
            int active = row.get("activeHeads").asInt();
            assertTrue(active >= 1 && active <= row.get("totalHeads").asInt(), row.toString());
            assertTrue(Files.isRegularFile(out.resolve(VARIANTS.get(i)).resolve("model/manifest.json")));
            assertTrue(Files.isRegularFile(out.resolve(VARIANTS.get(i)).resolve("report.html")), "a run report");
        }
        String markdown = Files.readString(out.resolve("experiment.md"));
        for (String variant : VARIANTS) {
            assertTrue(markdown.contains("\n| " + variant + " | "), "a row for " + variant + ":\n" + markdown);
        }
        assertTrue(markdown.contains("`fulcrum experiment --conf " + conf + " --out " + out + "`"), markdown);
        assertEquals(variants.get(0).get("totalHeads").asInt(), variants.get(0).get("activeHeads").asInt(),
                "without gates every head is active");
        assertTrue(printed.contains("\n| budget-50 | "), "the table is printed at the end:\n" + printed);
    }
}
