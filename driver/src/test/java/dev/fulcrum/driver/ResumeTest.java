package dev.fulcrum.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.driver.run.RunDirectory;
import dev.fulcrum.model.io.AttentionMapFile;
import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.io.ModelStore;
import dev.fulcrum.model.prune.HeadGates;
import dev.fulcrum.model.transformer.Transformer;
import dev.fulcrum.model.transformer.TransformerGraph;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stopping after round k and resuming gives the run an uninterrupted run would have had: same steps,
 * learning-rate schedule, data order, dropout and optimiser state, hence the same parameters and
 * validation losses, and the same tuner decisions (dual ascent, whose best loss so far is read back from
 * metrics.jsonl); a damaged newest checkpoint is skipped for the one before. Settled head gates stay settled
 * through training, resume and export.
 */
@Tag("slow")
class ResumeTest {
    private static SparkSession spark;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        spark = LocalSpark.start("resume-test");
        List<String> lines = new ArrayList<>();
        String[][] nouns = {{"file", "fichier"}, {"folder", "dossier"}, {"page", "page"}, {"user", "utilisateur"}};
        String[][] verbs = {{"opened", "ouvert"}, {"saved", "enregistré"}, {"deleted", "supprimé"}};
        for (int i = 0; i < 240; i++) {
            String[] noun = nouns[i % 4];
            String[] verb = verbs[(i / 4) % 3];
            lines.add("the " + noun[0] + " " + i + " was " + verb[0] + "\tle " + noun[1] + " " + i + " a été " + verb[1]);
        }
        Files.write(dir.resolve("corpus.tsv"), lines, StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static RunConfig config(String out, int rounds, String... extra) {
        List<String> overrides = new ArrayList<>(List.of(
                RunConfig.override("corpus.train", dir.resolve("corpus.tsv").toString()),
                RunConfig.override("output.dir", dir.resolve(out).toString()),
                "vocab.size=400", "model.modelDim=16", "model.heads=2", "model.ffnDim=32", "model.encoderLayers=1",
                "model.decoderLayers=1", "model.maxLength=24", "model.dropout=0.1", "model.headGates=true",
                "train.replicas=2", "train.stepsPerRound=3", "train.batchTokens=200", "train.warmupSteps=4",
                "train.peakLearningRate=0.003", "train.rounds=" + rounds, "split.validFraction=0.1",
                "eval.bleuSentences=0", "eval.examples=0", "knobs.gateWeight=0.05", "knobs.entropyWeight=0.1",
                "tuner.policy=dual-ascent", "tuner.headBudget=0.5", "tuner.entropyTarget=0"));
        overrides.addAll(List.of(extra));
        return RunConfig.load(null, overrides);
    }

    private static TrainJob.Result train(String out, int rounds, boolean resume, ByteArrayOutputStream log,
                                         String... extra) throws IOException {
        return new TrainJob(spark, config(out, rounds, extra), new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(resume);
    }

    @Test
    void resumedRunContinuesExactlyAndSkipsADamagedCheckpoint() throws IOException {
        TrainJob.Result straight = train("straight", 4, false, new ByteArrayOutputStream());

        train("interrupted", 2, false, new ByteArrayOutputStream());
        ByteArrayOutputStream resumeLog = new ByteArrayOutputStream();
        TrainJob.Result resumed = train("interrupted", 4, true, resumeLog);
        assertTrue(resumeLog.toString(StandardCharsets.UTF_8).contains("resuming after round 2 (step 6)"));
        assertEquals(straight.last().step(), resumed.last().step());
        assertArrayEquals(straight.last().updaterState(), resumed.last().updaterState(), 1e-7f);
        assertArrayEquals(parameters(straight), parameters(resumed), 1e-6f);
        List<JsonNode> straightMetrics = metrics("straight");
        List<JsonNode> resumedMetrics = metrics("interrupted");
        assertEquals(4, resumedMetrics.size(), "rounds 1-2 from the first run, 3-4 from the resumed one");
        for (int round = 0; round < 4; round++) {
            assertEquals(straightMetrics.get(round).get("validNll").asDouble(),
                    resumedMetrics.get(round).get("validNll").asDouble(), 1e-5, "round " + (round + 1));
            assertEquals(straightMetrics.get(round).at("/decision/reason").asText(),
                    resumedMetrics.get(round).at("/decision/reason").asText(), "round " + (round + 1));
        }
        assertTrue(straightMetrics.stream().anyMatch(l -> !l.get("knobs").equals(l.at("/decision/knobs"))),
                "the tuner moved the knobs");
        assertEquals(reasons(straight), reasons(resumed));
        assertTrue(reasons(straight).get(0).contains("tuner policy dual-ascent"), reasons(straight).get(0));
        assertTrue(reasons(straight).get(1).contains(" dual-ascent: "), reasons(straight).get(1));

        assertExportedWithinHeadBudget(straight, new RunDirectory(dir.resolve("straight")));

        RunDirectory run = new RunDirectory(dir.resolve("interrupted"));
        flipByte(run.checkpoint(4).resolve("updater.bin"), 200);
        ByteArrayOutputStream damagedLog = new ByteArrayOutputStream();
        TrainJob.Result afterDamage = train("interrupted", 5, true, damagedLog);
        String log = damagedLog.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("checkpoint round-000004 is damaged"), log);
        assertTrue(log.contains("resuming after round 3 (step 9)"), log);
        assertEquals(15, afterDamage.last().step());
        assertEquals(5, metrics("interrupted").size());
    }

    /**
     * A fresh gate is open 0.99, so settleBelow 0.995 settles all 6 gates after round 1: 3 shut, 3 fixed open.
     * From then on they get no gradient (log α stays exactly ±20, Adam moments exactly 0), the tuner never
     * settles again, the export keeps exactly the open heads, and a resumed run still matches.
     */
    @Test
    void settledGatesStaySettledThroughTrainingResumeAndExport() throws IOException {
        String settle = "tuner.settleBelow=0.995";
        TrainJob.Result straight = train("settled", 4, false, new ByteArrayOutputStream(), settle);
        List<String> reasons = metrics("settled").stream().map(l -> l.at("/decision/reason").asText()).toList();
        assertTrue(reasons.get(0).contains("settle gates: 6 of 6 heads open less than 0.995, the budget 0.5 "
                + "removes 3"), reasons.get(0));
        assertTrue(reasons.subList(1, 4).stream().noneMatch(r -> r.contains("settle")), reasons.toString());
        assertTrue(reasons(straight).stream().anyMatch(r -> r.startsWith("2 dual-ascent: settle gates")),
                reasons(straight).toString());

        Transformer trained = straight.last().model().transformer();
        List<Double> logAlphas = HeadGates.of(trained).heads().stream().map(HeadGates.Head::logAlpha).sorted().toList();
        assertEquals(List.of(-20.0, -20.0, -20.0, 20.0, 20.0, 20.0), logAlphas);
        assertGateMomentsAreZero(trained, straight.last().updaterState());
        var exported = ModelStore.load(new RunDirectory(dir.resolve("settled")).model());
        assertEquals(3, exported.transformer().headPlan().totalHeads(exported.transformer().config()));

        train("settled-interrupted", 2, false, new ByteArrayOutputStream(), settle);
        TrainJob.Result resumed = train("settled-interrupted", 4, true, new ByteArrayOutputStream(), settle);
        assertArrayEquals(parameters(straight), parameters(resumed), 1e-6f);
    }

    private static void assertGateMomentsAreZero(Transformer model, float[] updaterState) {
        long size = model.parameters().size();
        for (int half = 0; half < 2; half++) {
            INDArray moment = Nd4j.createFromArray(Arrays.copyOfRange(updaterState, (int) (half * size),
                    (int) ((half + 1) * size))).reshape(1, size);
            Map<String, INDArray> views = model.parameters().viewsOf(moment);
            for (String layer : TransformerGraph.attentionLayers(model.config())) {
                INDArray gate = views.get(BalancedAttention.parameterName(layer, BalancedAttention.GATE_LOG_ALPHA));
                assertEquals(0.0, gate.amaxNumber().doubleValue(), layer + " moment " + half);
            }
        }
    }

    /**
     * The exported model keeps at most half of the 6 heads (tuner.headBudget=0.5), says so in its provenance,
     * loads from the run directory, and the attention maps of the trained model cover every head.
     */
    private static void assertExportedWithinHeadBudget(TrainJob.Result result, RunDirectory run) throws IOException {
        var exported = ModelStore.load(run.model());
        int kept = exported.transformer().headPlan().totalHeads(exported.transformer().config());
        assertTrue(kept >= 1 && kept <= 3, "heads kept: " + kept);
        assertEquals(kept, result.model().transformer().headPlan().totalHeads(exported.transformer().config()));
        assertEquals(kept, exported.provenance().pruning().get(0).keptTotal());
        var maps = AttentionMapFile.read(run.attentionMaps());
        assertFalse(maps.isEmpty());
        maps.get(0).layers().values().forEach(heads -> assertEquals(2, heads.length));
    }

    /** The knob history of the model's provenance: one entry per change, policy first. */
    private static List<String> reasons(TrainJob.Result result) {
        return result.model().provenance().knobHistory().stream().map(d -> d.round() + " " + d.reason()).toList();
    }

    private static float[] parameters(TrainJob.Result result) {
        return result.last().model().transformer().parameters().flat().toFloatVector();
    }

    private static List<JsonNode> metrics(String out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(new RunDirectory(dir.resolve(out)).metrics())) {
            lines.add(json.readTree(line));
        }
        return lines;
    }

    private static void flipByte(Path file, int offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[offset] ^= (byte) 0xFF;
        Files.write(file, bytes);
    }
}
