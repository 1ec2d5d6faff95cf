package dev.fulcrum.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.driver.round.RunException;
import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.io.ModelStore;
import dev.fulcrum.model.text.BpeLearner;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.text.PreTokenizer;
import dev.fulcrum.model.transformer.HeadPlan;
import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** The report model read from a run directory: metrics lines as series, missing files as notes. */
class ReportModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void metricsLinesBecomeOneValuePerRoundWithNullsWhereARoundLacksOne() throws Exception {
        MetricsSeries series = MetricsSeries.parse(List.of(
                "{\"round\":1,\"trainLoss\":3.5,\"bleu\":null,\"knobs\":{\"entropyWeight\":0.0}}",
                "",
                "not json",
                "{\"trainLoss\":1.0}",
                "{\"round\":2,\"trainLoss\":2.5,\"bleu\":7.0,\"knobs\":{\"entropyWeight\":0.1,\"gateWeight\":0.2}}"));
        assertEquals(2, series.skippedLines(), "the unparsable line and the one without a round");
        assertEquals("[1,2]", series.rounds().toString());
        assertEquals("[3.5,2.5]", series.curves().get("trainLoss").toString());
        assertEquals("[null,7.0]", series.curves().get("bleu").toString());
        assertEquals("[null,null]", series.curves().get("chrf").toString(), "a figure no line has");
        assertEquals("{\"entropyWeight\":[0.0,0.1],\"gateWeight\":[null,0.2]}", series.knobs().toString());
    }

    @Test
    void attentionKeysSplitIntoLayerAndStatisticWithOneSeriesPerHead() throws Exception {
        MetricsSeries series = MetricsSeries.parse(List.of(
                "{\"round\":1,\"attention\":{\"enc0.self.entropy\":[0.9,0.8],\"dec0.cross.gateOpen\":[1.0,1.0]}}",
                "{\"round\":2,\"attention\":{\"enc0.self.entropy\":[0.7],\"noDot\":[1]}}"));
        JsonNode attention = series.attention();
        assertEquals(List.of("enc0.self", "dec0.cross"), fieldNames(attention));
        assertEquals("[[0.9,0.7],[0.8,null]]", attention.path("enc0.self").path("entropy").toString(),
                "head 1 is missing in round 2");
        assertEquals("[[1.0,null],[1.0,null]]", attention.path("dec0.cross").path("gateOpen").toString());
    }

    @Test
    void decisionsAreTheLinesThatRecordOne() throws Exception {
        MetricsSeries series = MetricsSeries.parse(List.of(
                "{\"round\":1}",
                "{\"round\":2,\"decision\":{\"knobs\":{\"entropyWeight\":0.3},\"reason\":\"entropy below band\"}}",
                "{\"round\":3,\"decision\":{}}"));
        assertEquals("[{\"round\":2,\"reason\":\"entropy below band\",\"knobs\":{\"entropyWeight\":0.3}},"
                + "{\"round\":3,\"reason\":\"\",\"knobs\":{}}]", series.decisions().toString());
        assertEquals(0, MetricsSeries.parse(List.of("{\"round\":1}")).decisions().size());
    }

    @Test
    void aRunWithOnlyItsConfigurationGetsNotesInsteadOfSections(@TempDir Path run) throws Exception {
        Files.writeString(run.resolve("run.conf"), "train { rounds=3 }\n");
        JsonNode page = ReportModel.read(run);
        assertEquals(0, page.path("rounds").size());
        assertTrue(page.path("heads").isNull());
        assertTrue(page.path("heatmaps").isNull());
        assertTrue(page.path("provenance").isNull());
        assertEquals("train { rounds=3 }\n", page.path("runConf").asText());
        JsonNode notes = page.path("notes");
        assertTrue(notes.path("metrics").asText().startsWith("no rounds in"), notes.toString());
        assertTrue(notes.path("heads").asText().contains("model.json"), notes.toString());
        assertTrue(notes.path("heatmaps").asText().contains("attention.json"), notes.toString());
        assertFalse(notes.has("runConf"));
    }

    @Test
    void theFixtureRunHasEverySection(@TempDir Path dir) throws Exception {
        JsonNode page = ReportModel.read(RunFixture.write(dir));
        assertEquals(RunFixture.ROUNDS, page.path("rounds").size());
        assertEquals("1 line(s) of metrics.jsonl could not be read and are left out",
                page.path("notes").path("metrics").asText());
        assertEquals(2, page.path("decisions").size());
        assertEquals(RunFixture.STATISTIC_LAYERS, fieldNames(page.path("attention")));
        assertEquals("{\"layers\":[{\"layer\":\"enc0.self\",\"kept\":2,\"total\":2},"
                + "{\"layer\":\"dec0.self\",\"kept\":2,\"total\":2},{\"layer\":\"dec0.cross\",\"kept\":1,\"total\":2}],"
                + "\"kept\":5,\"total\":6}", page.path("heads").toString());
        assertEquals("abc", page.path("provenance").path("gitRevision").asText());
        assertEquals(RunFixture.SENTENCES, page.path("heatmaps").size());
        assertTrue(page.path("runConf").asText().contains(RunFixture.INJECTION));
    }

    @Test
    void heatmapAxesFollowTheLayerKindAndFallBackToPositions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("attention.json");
        Map<String, Object> sentence = Map.of("source", List.of("a", "b", "c"), "target", List.of("x", "y"),
                "layers", Map.of("enc0.self", RunFixture.heads(3, 3), "dec0.self", RunFixture.heads(2, 2),
                        "dec0.cross", RunFixture.heads(2, 3), "dec1.cross", RunFixture.heads(4, 3)));
        JSON.writeValue(file.toFile(), Map.of("sentences", List.of(sentence, sentence, sentence, sentence)));
        Part part = AttentionHeatmaps.read(file);
        assertEquals(AttentionHeatmaps.SENTENCES, part.data().size(), "only the first few sentences");
        assertEquals("the first 3 of 4 sentences", part.note());
        Map<String, String> axes = new HashMap<>();
        for (JsonNode layer : part.data().get(0).path("layers")) {
            axes.put(layer.path("layer").asText(), layer.path("queries") + " x " + layer.path("keys"));
        }
        assertEquals("[\"a\",\"b\",\"c\"] x [\"a\",\"b\",\"c\"]", axes.get("enc0.self"));
        assertEquals("[\"x\",\"y\"] x [\"x\",\"y\"]", axes.get("dec0.self"));
        assertEquals("[\"x\",\"y\"] x [\"a\",\"b\",\"c\"]", axes.get("dec0.cross"));
        assertEquals("[\"0\",\"1\",\"2\",\"3\"] x [\"a\",\"b\",\"c\"]", axes.get("dec1.cross"),
                "4 query rows for 2 target tokens: positions");
    }

    @Test
    void headSummaryReadsTheHeadPlanOfAModelTheStoreSaved(@TempDir Path dir) throws Exception {
        BpeModel vocabulary = BpeLearner.learn(PreTokenizer.countWords(List.of("open the file", "ouvrir le fichier")),
                300, 1);
        ModelConfig config = new ModelConfig(vocabulary.vocabulary().size(), 8, 2, 16, 1, 2, 0.0, 0.1, 16,
                ModelConfig.SOFTMAX, 3, false);
        Transformer pruned = Transformer.initialize(config, new HeadPlan(Map.of("dec1.self", 1)), 1, DataType.FLOAT);
        ModelStore.save(new TranslationModel(pruned, vocabulary,
                Provenance.of(config, TrainingConfig.defaults(), "test", "test", Instant.now())), dir);
        Part heads = HeadSummary.heads(dir);
        assertEquals("[enc0.self 2/2, dec0.self 2/2, dec0.cross 2/2, dec1.self 1/2, dec1.cross 2/2]",
                layers(heads.data()), heads.note());
        assertEquals(9, heads.data().path("kept").asInt());
        assertEquals("test", HeadSummary.provenance(dir).data().path("dataFingerprint").asText());
    }

    @Test
    void withoutDecisionsInTheMetricsTheModelsKnobHistoryIsShown(@TempDir Path run) throws Exception {
        Files.createDirectories(run.resolve("model"));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"round\":1}\n");
        Files.writeString(run.resolve("model/provenance.json"), "{\"knobHistory\":[{\"round\":1,"
                + "\"knobs\":{\"entropyWeight\":0.0},\"reason\":\"initial knobs (configuration)\"}]}");
        JsonNode page = ReportModel.read(run);
        assertEquals("initial knobs (configuration)", page.path("decisions").path(0).path("reason").asText());
        assertEquals("from the model's provenance.json (knobHistory)", page.path("notes").path("decisions").asText());

        Files.writeString(run.resolve("metrics.jsonl"), "{\"round\":1,\"decision\":{\"reason\":\"tuner\"}}\n");
        assertEquals("tuner", ReportModel.read(run).path("decisions").path(0).path("reason").asText(),
                "decisions in metrics.jsonl win");
    }

    @Test
    void damagedFilesAreNotesNotFailures(@TempDir Path run) throws Exception {
        Files.createDirectories(run.resolve("model"));
        Files.writeString(run.resolve("model/model.json"), "{\"config\":{\"heads\":0}}");
        Files.writeString(run.resolve("attention.json"), "{\"sentences\":[");
        Files.writeString(run.resolve("metrics.jsonl"), "{\"round\":1}\n");
        JsonNode page = ReportModel.read(run);
        assertTrue(page.path("heads").isNull());
        assertTrue(page.path("notes").path("heads").asText().contains("cannot be read"), page.toString());
        assertTrue(page.path("notes").path("heatmaps").asText().contains("cannot be read"), page.toString());
        assertTrue(page.path("notes").path("provenance").asText().startsWith("no "), page.toString());
    }

    @Test
    void aDirectoryThatIsNoRunIsRefused(@TempDir Path dir) {
        RunException refused = assertThrows(RunException.class, () -> RunReport.write(dir));
        assertTrue(refused.getMessage().contains("is not a run directory"), refused.getMessage());
        assertFalse(Files.exists(dir.resolve(RunReport.FILE_NAME)));
    }

    @Test
    void writeReplacesTheReportAndLeavesNoPartialFile(@TempDir Path dir) throws Exception {
        Path run = RunFixture.write(dir);
        Files.writeString(run.resolve(RunReport.FILE_NAME), "old");
        Path report = RunReport.write(run);
        assertEquals(run.resolve(RunReport.FILE_NAME), report);
        assertTrue(Files.readString(report, StandardCharsets.UTF_8).startsWith("<!DOCTYPE html>"));
        try (var files = Files.list(run)) {
            assertEquals(0, files.filter(f -> f.toString().endsWith(".partial")).count());
        }
    }

    private static String layers(JsonNode heads) {
        List<String> layers = new ArrayList<>();
        heads.path("layers").forEach(l -> layers.add(l.path("layer").asText() + " " + l.path("kept").asInt() + "/"
                + l.path("total").asInt()));
        return layers.toString();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
