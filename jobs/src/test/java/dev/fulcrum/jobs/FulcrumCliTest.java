package dev.fulcrum.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.io.ModelStore;
import dev.fulcrum.model.text.BpeLearner;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.text.PreTokenizer;
import dev.fulcrum.model.transformer.Transformer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** The CLI contract: exit codes, errors that name the key, one line out per line in. */
class FulcrumCliTest {

    /** Exit code, stdout and stderr of one CLI run with {@code stdin} as its input. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int code = FulcrumCli.run(args);
            return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    @Test
    void badConfigurationExitsWithTwoNamingTheKeyBeforeSparkStarts() {
        Run unknown = run("", "train", "--set", "model.hedas=8");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("model.hedas") && unknown.err().contains("model.heads"), unknown.err());
        Run range = run("", "train", "--set", "train.rounds=0");
        assertEquals(2, range.exitCode());
        assertTrue(range.err().contains("train.rounds = 0 (allowed: an integer in [1, 1000000])"), range.err());
        assertTrue(SparkSession.getDefaultSession().isEmpty(), "no Spark session for a bad configuration");
    }

    @Test
    void badArgumentsExitWithTwo() {
        assertEquals(2, run("", "train", "--no-such-option").exitCode());
        assertEquals(2, run("", "translate").exitCode(), "--model is required");
        assertEquals(2, run("", "frobnicate").exitCode());
    }

    /** An untrained tiny model saved at {@code dir}. */
    private static Path tinyModel(Path dir) throws Exception {
        return tinyModel(dir, false);
    }

    /** An untrained tiny model saved at {@code dir}: 3 attention layers of 2 heads, gated or not. */
    private static Path tinyModel(Path dir, boolean headGates) throws Exception {
        BpeModel vocabulary = BpeLearner.learn(PreTokenizer.countWords(List.of("open the file", "ouvrir le fichier")),
                300, 1);
        ModelConfig config = new ModelConfig(vocabulary.vocabulary().size(), 16, 2, 32, 1, 1, 0.0, 0.1, 16,
                ModelConfig.SOFTMAX, 3, headGates);
        ModelStore.save(new TranslationModel(Transformer.initialize(config, 1, DataType.FLOAT), vocabulary,
                Provenance.of(config, TrainingConfig.defaults(), "test", "test", Instant.now())), dir);
        return dir;
    }

    @Test
    void translateWritesOneLineForEveryLineIncludingEmptyOnes(@TempDir Path dir) throws Exception {
        tinyModel(dir.resolve("m"));
        Run run = run("open the file\n\nsave it\n", "translate", "--model", dir.resolve("m").toString(), "--beam", "2");
        assertEquals(0, run.exitCode(), run.err());
        String[] lines = run.out().split("\n", -1);
        assertEquals(4, lines.length, "three lines and the final newline: " + run.out());
        assertEquals("", lines[1]);
    }

    @Test
    void aMissingCorpusIsAClearErrorWithoutStackTrace(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-corpus.tsv");
        Run run = run("", "evaluate", "--model", tinyModel(dir.resolve("m")).toString(), "--corpus", missing.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains(missing.toString()), run.err());
        assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void reportWritesTheHtmlFileOfARunAndRefusesADirectoryThatIsNone(@TempDir Path dir) throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Files.writeString(runDir.resolve("metrics.jsonl"), "{\"round\":1,\"trainLoss\":2.0}\n");
        Run report = run("", "report", "--run", runDir.toString());
        assertEquals(0, report.exitCode(), report.err());
        assertEquals("report: " + runDir.resolve("report.html") + "\n", report.out());
        assertTrue(Files.size(runDir.resolve("report.html")) > 0);

        Run none = run("", "report", "--run", dir.resolve("nothing").toString());
        assertEquals(1, none.exitCode());
        assertTrue(none.err().contains("is not a run directory"), none.err());
        assertTrue(!none.err().contains("\tat "), "no stack trace: " + none.err());
    }

    @Test
    void aMissingModelIsAClearError(@TempDir Path dir) {
        Run run = run("hello\n", "translate", "--model", dir.resolve("nothing").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("cannot load the model in"), run.err());
    }

    @Test
    void pruneWritesAModelWithinTheBudgetAndRefusesWhatItCannotPrune(@TempDir Path dir) throws Exception {
        Path gated = tinyModel(dir.resolve("gated"), true);
        Run half = run("", "prune", "--model", gated.toString(), "--out", dir.resolve("half").toString(),
                "--budget", "0.5", "--scope", "layer");
        assertEquals(0, half.exitCode(), half.err());
        assertTrue(half.out().startsWith("pruned heads: 3 of 6 kept"), half.out());
        TranslationModel pruned = ModelStore.load(dir.resolve("half"));
        assertEquals(3, pruned.remainingHeads());
        Provenance.Pruning record = pruned.provenance().pruning().get(0);
        assertEquals(0.5, record.budget());
        assertEquals("LAYER", record.scope());

        Run again = run("", "prune", "--model", dir.resolve("half").toString(), "--out", dir.resolve("x").toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("was pruned already"), again.err());
        Run ungated = run("", "prune", "--model", tinyModel(dir.resolve("plain")).toString(), "--out",
                dir.resolve("y").toString());
        assertEquals(1, ungated.exitCode());
        assertTrue(ungated.err().contains("without head gates") && !ungated.err().contains("\tat "), ungated.err());
        Run badBudget = run("", "prune", "--model", gated.toString(), "--out", dir.resolve("z").toString(),
                "--budget", "1.5");
        assertEquals(2, badBudget.exitCode());
        assertTrue(badBudget.err().contains("--budget = 1.5"), badBudget.err());
        assertTrue(Files.notExists(dir.resolve("x")) && Files.notExists(dir.resolve("z")), "nothing written");
    }
}
