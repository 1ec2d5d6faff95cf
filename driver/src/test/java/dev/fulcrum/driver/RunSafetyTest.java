package dev.fulcrum.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.driver.run.RunDirectory;
import dev.fulcrum.driver.round.RunException;
import dev.fulcrum.driver.run.RunLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16, items 4 and 5: {@code --resume} refuses what would silently change the run (a key that decides its data
 * or model, another corpus) with an error naming it, and allows the rest (more rounds, another learning rate);
 * it recovers from a kill at any point; one run directory is used by one training at a time. Item 6: a run whose
 * validation set would be empty stops before training with an error naming what to change.
 */
@Tag("slow")
class RunSafetyTest {
    @RegisterExtension
    static final TinyRuns runs = new TinyRuns("run-safety-test", "local[2]");

    @Test
    void aRunKilledBeforeItsFirstCheckpointIsStartedOverByResume() throws IOException {
        runs.train("early", 1, new ByteArrayOutputStream());
        RunDirectory run = runs.run("early");
        TinyRuns.deleteTree(run.checkpoints()); // as if killed between the first metrics line and the first checkpoint

        RunException fresh = assertThrows(RunException.class, () -> runs.train("early", 2, new ByteArrayOutputStream()));
        assertTrue(fresh.getMessage().contains("--resume"), fresh.getMessage());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainJob.Result resumed = runs.resume("early", 2, log);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("starting it over"));
        assertEquals(6, resumed.last().step());
        assertEquals(2, runs.metrics("early").size(), "the lost round's line was replaced");
    }

    @Test
    void aNewestCheckpointWithoutItsIndexIsSkipped() throws IOException {
        runs.train("index-lost", 2, new ByteArrayOutputStream());
        Files.delete(runs.run("index-lost").checkpoint(2).resolve("manifest.json"));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainJob.Result resumed = runs.resume("index-lost", 3, log);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("resuming after round 1 (step 3)"));
        assertEquals(9, resumed.last().step());
        assertTrue(Files.isDirectory(runs.run("index-lost").checkpoints().resolve("round-000002.damaged")),
                "kept for inspection, out of the way of the new round 2");
    }

    @Test
    void aRunDirectoryInUseIsRefused() throws IOException {
        RunDirectory run = runs.run("busy");
        try (RunLock held = RunLock.acquire(run)) {
            RunException busy = assertThrows(RunException.class, () -> runs.train("busy", 1, new ByteArrayOutputStream()));
            assertTrue(busy.getMessage().contains("is in use by another training"), busy.getMessage());
        }
        runs.train("busy", 1, new ByteArrayOutputStream()); // free again once released
    }

    @Test
    void anEmptyValidationSetIsAClearErrorNotALossOfZero() throws IOException {
        Path three = Files.writeString(runs.dir().resolve("three.tsv"), "one\tun\ntwo\tdeux\nthree\ttrois\n");
        RunException empty = assertThrows(RunException.class, () -> runs.train("tiny", 1, new ByteArrayOutputStream(),
                RunConfig.override("corpus.train", three.toString()), "split.validFraction=0.001"));
        assertTrue(empty.getMessage().startsWith("the validation set is empty: split.validFraction = 0.001 held out "
                + "none of the corpus's 3 pairs"), empty.getMessage());
    }

    @Test
    void resumeRefusesAChangedSeedModelOrCorpusAndAllowsMoreRoundsAndAnotherRate() throws IOException {
        runs.train("run", 2, new ByteArrayOutputStream());

        RunException seed = assertThrows(RunException.class,
                () -> runs.resume("run", 3, new ByteArrayOutputStream(), "train.seed=7", "model.heads=4"));
        assertTrue(seed.getMessage().startsWith("cannot resume with [model.heads = 2 → 4, train.seed = 42 → 7]"),
                seed.getMessage());

        byte[] corpus = Files.readAllBytes(runs.corpus());
        Files.writeString(runs.corpus(), "the disk was full\tle disque était plein\n", StandardOpenOption.APPEND);
        try {
            RunException changed = assertThrows(RunException.class,
                    () -> runs.resume("run", 3, new ByteArrayOutputStream()));
            assertTrue(changed.getMessage().contains("is not the one the run started on"), changed.getMessage());
        } finally {
            Files.write(runs.corpus(), corpus);
        }

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainJob.Result resumed = runs.resume("run", 3, log, "train.peakLearningRate=0.002");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains(
                "changed on resume: train.peakLearningRate = 0.003 → 0.002"), log.toString(StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("changed on resume: train.rounds = 2 → 3"));
        assertEquals(9, resumed.last().step());
    }
}
