package dev.fulcrum.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.model.io.ModelStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 4, with real process kills ({@code SIGKILL}, nothing runs after it): a driver killed while it
 * writes a checkpoint, and an executor killed in the middle of a round on the standalone cluster. Both runs
 * must end as if nothing had happened. Runs after package (it starts {@code bin/fulcrum} and submits
 * target/fulcrum.jar).
 */
@Tag("slow")
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class KillRecoveryIT {
    private static final int ROUNDS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDriverKilledWhileWritingACheckpointResumesAndEndsAsAnUninterruptedRun(@TempDir Path tmp) throws Exception {
        Path reference = tmp.resolve("reference");
        Path killed = tmp.resolve("killed");
        Path referenceConf = runConfig(tmp, reference, 4);
        Path killedConf = runConfig(tmp, killed, 4);
        Process whole = fulcrum(tmp, "reference", "train", "--conf", referenceConf.toString());
        assertEquals(0, finish(whole, Duration.ofMinutes(4)), () -> log(tmp, "reference"));

        // Kill -9 the moment a checkpoint's staging directory appears, then resume; again for a later round.
        int caught = 0;
        List<String> attempts = new ArrayList<>();
        for (int round = 2; round < ROUNDS && caught < 2; round++) {
            List<String> args = new ArrayList<>(List.of("train", "--conf", killedConf.toString()));
            if (round > 2) {
                args.add("--resume");
            }
            String name = "attempt-" + round;
            Process run = fulcrum(tmp, name, args.toArray(String[]::new));
            boolean leftStaging = killWhileStaging(run, killed.resolve("checkpoints"), round);
            caught += leftStaging ? 1 : 0;
            attempts.add(name + (leftStaging ? ": killed while writing round " + round : ": killed after it"));
        }
        assertTrue(caught >= 1, "no kill landed inside a checkpoint write: " + attempts);

        Process rest = fulcrum(tmp, "rest", "train", "--conf", killedConf.toString(), "--resume");
        assertEquals(0, finish(rest, Duration.ofMinutes(4)), () -> log(tmp, "rest"));
        String resumes = String.join("\n", stdouts(tmp));
        assertTrue(resumes.contains("left by an interrupted write"), resumes);

        assertEquals(List.of(), leftovers(killed), "what the kills left was cleaned up");
        List<JsonNode> rounds = metrics(killed);
        assertEquals(IntStream.rangeClosed(1, ROUNDS).boxed().toList(),
                rounds.stream().map(r -> r.path("round").asInt()).toList(), "every round once, in order");
        // Training is exact (randomness is a function of seed, replica and step); the validation loss is a sum
        // over Spark partitions in whatever order they finish, so it may differ in the last digits.
        List<Double> expected = validNlls(metrics(reference));
        for (int i = 0; i < ROUNDS; i++) {
            assertEquals(expected.get(i), validNlls(rounds).get(i), 1e-6, "round " + (i + 1) + "; " + attempts);
        }
        // As in ResumeTest: a resumed run matches to ~1 ulp (measured: ≤ 1.2e-7 on a third of the parameters);
        // a lost or repeated step would be off by orders of magnitude more.
        assertArrayEquals(parameters(reference), parameters(killed), 1e-6f, "the model of the run never killed; "
                + attempts);
    }

    @Test
    void anExecutorKilledInTheMiddleOfARoundIsReplacedAndTheRunEnds(@TempDir Path tmp) throws Exception {
        Path jar = LocalCluster.repoRoot().resolve("jobs/target/fulcrum.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: run this test after package (mvn verify -Pall)");
        Path out = tmp.resolve("run");
        Path conf = runConfig(tmp, out, 40);
        try (LocalCluster cluster = LocalCluster.start(Path.of("target", "kill-it"), 2)) {
            Path stdout = tmp.resolve("train.out");
            Path stderr = tmp.resolve("train.log");
            Process training = cluster.launch(stdout, stderr, "--class", "dev.fulcrum.jobs.FulcrumCli",
                    "--driver-memory", "2g", "--conf", "spark.executor.memory=1g", "--conf", "spark.cores.max=2",
                    "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                    jar.toString(), "train", "--conf", conf.toString());
            awaitRounds(training, out, 1, Duration.ofMinutes(4));
            Thread.sleep(1500); // round 2 is under way: its tasks run on both executors
            List<ProcessHandle> executors = cluster.executorProcesses();
            assertEquals(2, executors.size(), "executors " + executors);
            executors.get(0).destroyForcibly();

            int exit = finish(training, Duration.ofMinutes(6));
            String log = Files.readString(stderr);
            String describe = "exit " + exit + "\n" + Files.readString(stdout) + "\n--- log tail\n"
                    + log.substring(Math.max(0, log.length() - 6000));
            assertEquals(0, exit, describe);
            assertTrue(log.contains("Lost executor"), "the driver saw the executor go: " + describe);
            log.lines().filter(l -> l.matches(".*(Lost executor|Lost task|Granted executor).*"))
                    .forEach(l -> System.out.println("KillRecoveryIT: " + l));
            List<JsonNode> rounds = metrics(out);
            assertEquals(ROUNDS, rounds.size(), describe);
            for (JsonNode round : rounds) {
                assertTrue(Double.isFinite(round.path("validNll").asDouble()), round.toString());
                assertEquals(0, round.path("excludedReplicas").asInt(), round.toString());
            }
            assertTrue(validNlls(rounds).get(ROUNDS - 1) < validNlls(rounds).get(0), "it still learns: " + rounds);
            assertTrue(Files.isRegularFile(out.resolve("model/manifest.json")), describe);
        }
    }

    /**
     * Waits for the staging directory of {@code round}'s checkpoint and kills the driver at once (its JVM and
     * the script). Returns whether the kill left the staging directory behind, i.e. landed inside the write.
     */
    private static boolean killWhileStaging(Process run, Path checkpoints, int round) throws Exception {
        String staging = String.format(".round-%06d.saving-", round);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!hasEntry(checkpoints, staging)) {
            if (!run.isAlive() || System.nanoTime() > deadline) {
                fail("the run ended or stalled before writing round " + round + " (exit "
                        + (run.isAlive() ? "none" : run.exitValue()) + ")");
            }
            Thread.onSpinWait();
        }
        run.descendants().forEach(ProcessHandle::destroyForcibly);
        run.destroyForcibly();
        run.waitFor();
        return hasEntry(checkpoints, staging);
    }

    private static boolean hasEntry(Path dir, String prefix) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
        } catch (java.nio.file.NoSuchFileException notYet) {
            return false;
        }
    }

    private static void awaitRounds(Process run, Path out, int rounds, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(out.resolve("metrics.jsonl")) || metrics(out).size() < rounds) {
            if (!run.isAlive() || System.nanoTime() > deadline) {
                fail("the run ended or stalled before round " + rounds);
            }
            Thread.sleep(100);
        }
    }

    /** Temporary files of interrupted writes anywhere in the run directory. */
    private static List<Path> leftovers(Path runDir) throws IOException {
        try (Stream<Path> all = Files.walk(runDir)) {
            return all.filter(p -> p.getFileName().toString().matches("\\..*\\.(saving|writing|old)-.*|.*\\.partial"))
                    .toList();
        }
    }

    private static Process fulcrum(Path tmp, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bin/fulcrum"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(LocalCluster.repoRoot().toFile())
                .redirectOutput(tmp.resolve(name + ".out").toFile())
                .redirectError(tmp.resolve(name + ".log").toFile())
                .start();
    }

    private static int finish(Process process, Duration timeout) throws InterruptedException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("did not finish within " + timeout.toSeconds() + " s");
            }
            return process.exitValue();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static String log(Path tmp, String name) {
        try {
            String out = Files.readString(tmp.resolve(name + ".out"));
            String log = Files.readString(tmp.resolve(name + ".log"));
            return out + "\n--- log tail\n" + log.substring(Math.max(0, log.length() - 4000));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static List<String> stdouts(Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            List<String> texts = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".out")).sorted().toList()) {
                texts.add(Files.readString(file));
            }
            return texts;
        }
    }

    /** A tiny model on a slice of the sample corpus: a few seconds a round. */
    private static Path runConfig(Path tmp, Path out, int stepsPerRound) throws IOException {
        Path repo = LocalCluster.repoRoot();
        Path train = head(repo.resolve("data/sample/en-fr/train.tsv"), 600, tmp.resolve("train.tsv"));
        Path valid = head(repo.resolve("data/sample/en-fr/valid.tsv"), 60, tmp.resolve("valid.tsv"));
        String conf = TinyRun.config(train, valid, out, "rounds = " + ROUNDS + ", stepsPerRound = " + stepsPerRound,
                "bleuSentences = 0, examples = 0");
        return Files.writeString(tmp.resolve(out.getFileName() + ".conf"), conf);
    }

    private static Path head(Path corpus, int lines, Path to) throws IOException {
        try (Stream<String> all = Files.lines(corpus)) {
            return Files.write(to, all.limit(lines).collect(Collectors.toList()));
        }
    }

    private static List<JsonNode> metrics(Path runDir) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static float[] parameters(Path runDir) throws IOException {
        return ModelStore.load(runDir.resolve("model")).transformer().parameters().flat().toFloatVector();
    }

    private static List<Double> validNlls(List<JsonNode> rounds) {
        return rounds.stream().map(r -> r.path("validNll").asDouble()).toList();
    }
}
