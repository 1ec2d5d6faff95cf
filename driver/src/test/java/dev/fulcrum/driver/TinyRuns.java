package dev.fulcrum.driver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.driver.run.RunDirectory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Whole training runs of a tiny model on a generated corpus, seconds each: for tests of the run as a whole. A JUnit
 * extension: {@code @RegisterExtension static final TinyRuns runs = new TinyRuns("name", "local[2]")} starts one
 * Spark session and writes the corpus before the class's tests, and stops and deletes both after them.
 */
final class TinyRuns implements BeforeAllCallback, AfterAllCallback {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final String master;
    private SparkSession spark;
    private Path dir;

    TinyRuns(String name, String master) {
        this.name = name;
        this.master = master;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        spark = LocalSpark.start(name, master);
        dir = Files.createTempDirectory(name);
        List<String> lines = new ArrayList<>();
        String[][] nouns = {{"file", "fichier"}, {"folder", "dossier"}, {"page", "page"}, {"user", "utilisateur"}};
        for (int i = 0; i < 200; i++) {
            lines.add("the " + nouns[i % 4][0] + " " + i + " was saved\tle " + nouns[i % 4][1] + " " + i
                    + " a été enregistré");
        }
        Files.write(corpus(), lines, StandardCharsets.UTF_8);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        spark.stop();
        deleteTree(dir);
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Where the runs and the corpus live. */
    Path dir() {
        return dir;
    }

    /** Trains into {@code out} for {@code rounds} rounds of 3 steps on 2 replicas; {@code extra}: key=value. */
    TrainJob.Result train(String out, int rounds, ByteArrayOutputStream log, String... extra) throws IOException {
        return run(out, rounds, false, log, extra);
    }

    /** Continues the run in {@code out} up to {@code rounds} rounds. */
    TrainJob.Result resume(String out, int rounds, ByteArrayOutputStream log, String... extra) throws IOException {
        return run(out, rounds, true, log, extra);
    }

    /** The generated corpus, to change under a run. */
    Path corpus() {
        return dir.resolve("corpus.tsv");
    }

    private TrainJob.Result run(String out, int rounds, boolean resume, ByteArrayOutputStream log, String... extra)
            throws IOException {
        List<String> overrides = new ArrayList<>(List.of(
                RunConfig.override("corpus.train", corpus().toString()),
                RunConfig.override("output.dir", dir.resolve(out).toString()),
                "vocab.size=400", "model.modelDim=16", "model.heads=2", "model.ffnDim=32", "model.encoderLayers=1",
                "model.decoderLayers=1", "model.maxLength=24", "train.replicas=2", "train.stepsPerRound=3",
                "train.batchTokens=200", "train.warmupSteps=4", "train.peakLearningRate=0.003",
                "train.rounds=" + rounds, "split.validFraction=0.1", "eval.bleuSentences=0", "eval.examples=0",
                "output.keepCheckpoints=10"));
        overrides.addAll(List.of(extra));
        return new TrainJob(spark, RunConfig.load(null, overrides), new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(resume);
    }

    RunDirectory run(String out) {
        return new RunDirectory(dir.resolve(out));
    }

    List<JsonNode> metrics(String out) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run(out).metrics())) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }
}
