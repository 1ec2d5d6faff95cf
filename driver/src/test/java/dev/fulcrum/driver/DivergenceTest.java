package dev.fulcrum.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fulcrum.driver.run.RunDirectory;
import dev.fulcrum.driver.round.RunException;
import dev.fulcrum.model.io.TrainingCheckpoint;
import dev.fulcrum.model.train.FaultInjection;
import dev.fulcrum.model.train.FaultInjection.Fault;
import dev.fulcrum.model.train.FaultInjection.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16, item 1: a diverging run is rolled back to its best round with a lower learning rate, never
 * checkpoints a diverged model, and stops with a clear error when roll-backs do not help. Divergence is injected
 * (NaN in both replicas' parameters from a given step on), so the test does not depend on how a model happens to
 * blow up.
 */
@Tag("slow")
class DivergenceTest {
    @RegisterExtension
    static final TinyRuns runs = new TinyRuns("divergence-test", "local[2]");

    @AfterEach
    void disarm() {
        FaultInjection.clear();
    }

    /**
     * Both replicas' parameters become NaN at global steps [from, to) (rounds are 3 steps); with
     * {@code againOnReplay}, also when a roll-back replays those steps.
     */
    private static void poisonBothReplicas(long from, long to, boolean againOnReplay) {
        FaultInjection.arm(new Fault(Target.PARAMETERS, 0, from, to, Float.NaN, againOnReplay),
                new Fault(Target.PARAMETERS, 1, from, to, Float.NaN, againOnReplay));
    }

    @Test
    void aDivergedRoundIsRolledBackToTheBestRoundWithALowerLearningRate() throws IOException {
        poisonBothReplicas(7, 8, false); // once, in round 3 (steps 6-8)
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainJob.Result result = runs.train("rolled-back", 4, log);

        assertEquals(2, FaultInjection.fired(), "one NaN in each replica");
        List<JsonNode> metrics = runs.metrics("rolled-back");
        assertEquals(4, metrics.size());
        JsonNode diverged = metrics.get(2);
        assertEquals(2, diverged.path("excludedReplicas").asInt());
        int bestRound = metrics.get(0).path("validNll").asDouble() < metrics.get(1).path("validNll").asDouble() ? 1 : 2;
        assertEquals(bestRound, diverged.at("/rollback/toRound").asInt(), diverged.toString());
        assertEquals(0.5, diverged.path("learningRateScale").asDouble());
        assertEquals(0.5, metrics.get(3).path("learningRateScale").asDouble(), "the lower rate stays");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("round 3 diverged (no replica's parameters were "
                + "finite after the round): rolled back to round " + bestRound + ", learning rate ×0.5"), log.toString());

        RunDirectory run = runs.run("rolled-back");
        TrainingCheckpoint.Loaded best = TrainingCheckpoint.load(run.checkpoint(bestRound));
        TrainingCheckpoint.Loaded third = TrainingCheckpoint.load(run.checkpoint(3));
        assertArrayEquals(best.model().transformer().parameters().flat().toFloatVector(),
                third.model().transformer().parameters().flat().toFloatVector(), 0f,
                "round 3's checkpoint is the state it went back to");
        assertEquals(best.state().step(), third.state().step());
        assertEquals(0.5, third.state().learningRateScale());
        assertEquals(best.state().step() + 3, result.last().step(), "round 4 trained on from there");
        assertTrue(Double.isFinite(metrics.get(3).path("validNll").asDouble()));
    }

    @Test
    void aRunThatKeepsDivergingStopsWithAClearErrorAndKeepsItsGoodCheckpoints() throws IOException {
        poisonBothReplicas(7, Long.MAX_VALUE, true); // every round from round 3 on
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunException error = assertThrows(RunException.class,
                () -> runs.train("stopped", 6, log, "train.maxRollbacks=1"));

        assertTrue(error.getMessage().matches("(?s)training diverged in round [45]: no replica's parameters were "
                + "finite.*After 1 roll-back\\(s\\).*"), error.getMessage());
        assertTrue(error.getMessage().contains("train.peakLearningRate"), error.getMessage());
        RunDirectory run = runs.run("stopped");
        assertTrue(run.checkpointsNewestFirst().size() >= 3, "rounds 1-3 (3's is the rolled-back state), or 1-4");
        for (Path checkpoint : run.checkpointsNewestFirst()) {
            TrainingCheckpoint.load(checkpoint); // loads: finite and intact
        }
        assertTrue(Files.notExists(run.model()), "no final model from a run that failed");
    }
}
