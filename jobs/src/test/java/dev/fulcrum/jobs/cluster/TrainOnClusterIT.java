package dev.fulcrum.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 end to end: {@code train} through {@code bin/spark-submit} on a real standalone cluster of two Workers,
 * then {@code bin/fulcrum evaluate --json} on the model it saved, then {@code translate} of a directory on the
 * cluster (issue 15), and a submission no Worker can host, refused at once. It submits target/fulcrum.jar, so it runs after
 * package (failsafe, {@code mvn verify -Pall}). A tiny model on a slice of the sample corpus proves the wiring
 * (both executors train, averaging lowers the validation loss, the saved model loads and scores), not quality:
 * the full-data run proves that. The cluster is stopped even on failure; its logs stay in target/cluster-it.
 */
@Tag("slow")
@Timeout(value = 660, unit = TimeUnit.SECONDS)
class TrainOnClusterIT {

    private static final int WORKERS = 2;
    private static final int ROUNDS = 3;
    private static final int TRAIN_LINES = 600;
    private static final int VALID_LINES = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void trainsWithTwoExecutorsAndTheModelEvaluates(@TempDir Path tmp) throws Exception {
        Path repo = LocalCluster.repoRoot();
        Path jar = repo.resolve("jobs/target/fulcrum.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: run this test after package (mvn verify -Pall)");
        Path train = head(repo.resolve("data/sample/en-fr/train.tsv"), TRAIN_LINES, tmp.resolve("train.tsv"));
        Path valid = head(repo.resolve("data/sample/en-fr/valid.tsv"), VALID_LINES, tmp.resolve("valid.tsv"));
        Path out = tmp.resolve("run");
        Path conf = Files.writeString(tmp.resolve("run.conf"), runConfig(train, valid, out));

        long t0 = System.nanoTime();
        long started;
        long trained;
        long evaluated;
        List<JsonNode> rounds;
        try (LocalCluster cluster = LocalCluster.start(Path.of("target", "cluster-it"), WORKERS)) {
            started = System.nanoTime();
            LocalCluster.Submission training = cluster.submit(Duration.ofMinutes(5),
                    "--class", "dev.fulcrum.jobs.FulcrumCli", "--driver-memory", "2g",
                    "--conf", "spark.executor.memory=1g",
                    // Standalone mode schedules as soon as one executor has registered: wait for both, or the
                    // first tasks (and the cached training shares with them) may all land on one executor.
                    "--conf", "spark.cores.max=" + WORKERS, "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                    jar.toString(), "train", "--conf", conf.toString());
            trained = System.nanoTime();
            assertEquals(0, training.exitCode(), training::describe);

            rounds = metrics(out.resolve("metrics.jsonl"));
            assertEquals(ROUNDS, rounds.size(), training::describe);
            List<JsonNode> replicas = rounds.stream().flatMap(r -> elements(r.path("replicas"))).toList();
            assertEquals(WORKERS, replicas.stream().map(r -> r.path("executor").asText()).distinct().count(),
                    "two executors trained replicas: " + replicas);
            assertTrue(replicas.stream().allMatch(r -> r.path("steps").asInt() > 0 && r.path("tokens").asLong() > 0),
                    "every replica trained in every round: " + replicas);
            for (int i = 1; i < rounds.size(); i++) {
                assertTrue(validNll(rounds.get(i)) < validNll(rounds.get(i - 1)), "validation loss falls: " + rounds);
            }
            assertTrue(Files.isRegularFile(out.resolve("model/manifest.json")), "model saved in " + out);

            // The cluster ran nothing else: its one finished application is the training.
            List<String> apps = cluster.completedApps();
            assertEquals(1, apps.size(), "completed apps " + apps);
            List<LocalCluster.ExecutorRun> executors = cluster.finishedExecutors(apps.get(0), WORKERS,
                    Duration.ofSeconds(30));
            assertEquals(WORKERS, executors.stream().map(LocalCluster.ExecutorRun::workerId).distinct().count(),
                    "one executor on each Worker: " + executors);

            // The model is scored where users would score it: bin/fulcrum, Spark in local mode.
            LocalCluster.Submission evaluation = cluster.run(Duration.ofMinutes(3), List.of("bin/fulcrum",
                    "evaluate", "--model", out.resolve("model").toString(), "--corpus", valid.toString(),
                    "--json", "--beam", "1"));
            evaluated = System.nanoTime();
            assertEquals(0, evaluation.exitCode(), evaluation::describe);
            JsonNode scores = JSON.readTree(evaluation.stdout().stream().filter(l -> l.startsWith("{")).findFirst()
                    .orElseThrow(() -> new AssertionError("no JSON line\n" + evaluation.describe())));
            for (String key : List.of("bleu", "chrf", "loss")) {
                assertTrue(scores.path(key).isNumber(), key + " in " + scores);
            }
            assertEquals(VALID_LINES, scores.path("sentences").asInt(), scores::toString);

            translatesADirectoryOnTheCluster(cluster, jar, out.resolve("model"), valid, tmp);
            refusesAnExecutorNoWorkerCanHost(cluster, jar, out.resolve("model"), valid, tmp);
        }
        System.out.printf("TrainOnClusterIT: start %.1f s, train %.1f s, evaluate %.1f s, stop %.1f s%n",
                (started - t0) / 1e9, (trained - started) / 1e9, (evaluated - trained) / 1e9,
                (System.nanoTime() - evaluated) / 1e9);
        for (JsonNode round : rounds) {
            System.out.printf("  round %d: %.1f s (overhead %.1f s), %.0f tokens/s, valid NLL %.3f%n",
                    round.path("round").asInt(), round.path("roundSeconds").asDouble(),
                    round.path("overheadSeconds").asDouble(), round.path("tokensPerSecond").asDouble(),
                    validNll(round));
        }
    }

    /**
     * {@code translate} of a directory runs the Spark ML transform on the executors and writes Parquet (source,
     * translation) whose rows are what line-by-line {@code translate} gives for the same sentences.
     */
    private static void translatesADirectoryOnTheCluster(LocalCluster cluster, Path jar, Path model, Path valid,
                                                         Path tmp) throws Exception {
        Path input = Files.createDirectories(tmp.resolve("to-translate"));
        Files.copy(valid, input.resolve("valid.tsv"));
        Path parquet = tmp.resolve("translated");
        LocalCluster.Submission translation = cluster.submit(Duration.ofMinutes(3),
                "--class", "dev.fulcrum.jobs.FulcrumCli", "--driver-memory", "1g", "--conf", "spark.executor.memory=1g",
                "--conf", "spark.cores.max=" + WORKERS, "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                jar.toString(), "translate", "--model", model.toString(), "--input", input.toString(),
                "--output", parquet.toString(), "--beam", "2");
        assertEquals(0, translation.exitCode(), translation::describe);
        assertTrue(translation.stdout().stream().anyMatch(l -> l.startsWith("translated " + VALID_LINES + " rows")),
                translation::describe);
        System.out.println("TrainOnClusterIT: distributed translate: " + translation.stdout());

        Path sources = Files.write(tmp.resolve("sources.txt"), Files.readAllLines(valid).stream()
                .map(line -> line.substring(0, line.indexOf('\t'))).toList());
        LocalCluster.Submission lines = cluster.run(Duration.ofMinutes(2), List.of("bin/fulcrum", "translate",
                "--model", model.toString(), "--input", sources.toString(), "--beam", "2"));
        assertEquals(0, lines.exitCode(), lines::describe);
        List<String> expected = new ArrayList<>();
        List<String> sourceLines = Files.readAllLines(sources);
        for (int i = 0; i < sourceLines.size(); i++) {
            expected.add(sourceLines.get(i) + "\t" + lines.stdout().get(i));
        }
        assertEquals(expected.stream().sorted().toList(), ParquetPairs.read(parquet).stream().sorted().toList());
    }

    /** Spark would wait forever for an executor bigger than any Worker; bin/spark-submit says so at once. */
    private static void refusesAnExecutorNoWorkerCanHost(LocalCluster cluster, Path jar, Path model, Path valid,
                                                        Path tmp) throws Exception {
        LocalCluster.Submission tooBig = cluster.submit(Duration.ofSeconds(60),
                "--class", "dev.fulcrum.jobs.FulcrumCli", "--executor-memory", "64g",
                jar.toString(), "translate", "--model", model.toString(), "--input", valid.toString(),
                "--output", tmp.resolve("never").toString());
        assertTrue(tooBig.exitCode() != 0, tooBig::describe);
        assertTrue(Files.readString(tooBig.stderr()).contains("no Worker of spark://"), tooBig::describe);
    }

    /** A model small enough that three rounds on two 1-core executors take about a minute. */
    private static String runConfig(Path train, Path valid, Path out) throws IOException {
        return TinyRun.config(train, valid, out, "rounds = " + ROUNDS + ", stepsPerRound = 6, replicas = " + WORKERS,
                "bleuSentences = 20, examples = 2");
    }

    private static Path head(Path corpus, int lines, Path to) throws IOException {
        try (Stream<String> all = Files.lines(corpus)) {
            return Files.write(to, all.limit(lines).collect(Collectors.toList()));
        }
    }

    private static List<JsonNode> metrics(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static Stream<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static double validNll(JsonNode round) {
        return round.path("validNll").asDouble();
    }
}
