package dev.fulcrum.jobs.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and validating experiment files: layering, equal compute, and errors that name the key. */
class ExperimentPlanTest {
    @TempDir
    Path dir;

    private ExperimentPlan load(String experiment, String... overrides) throws IOException {
        Path file = Files.writeString(dir.resolve("experiment.conf"), experiment);
        return ExperimentPlan.load(file, List.of(overrides), dir.resolve("out"));
    }

    private static final String TWO_VARIANTS = """
            set { "train.rounds" = 3, model { heads = 2 } }
            variants = [
              { name = softmax, set { "model.normalization" = softmax, "tuner.policy" = fixed } }
              { name = sinkhorn, set { "model.normalization" = sinkhorn, "knobs.entropyWeight" = 0.05 } }
            ]
            """;

    @Test
    void layersDefaultsRunFileExperimentCommandLineAndVariant() throws IOException {
        Files.writeString(dir.resolve("base.conf"), "train.rounds = 9\ntrain.stepsPerRound = 7\nmodel.heads = 8\n");
        ExperimentPlan plan = load("run = \"base.conf\"\n" + TWO_VARIANTS, "train.stepsPerRound=5");

        assertEquals(dir.resolve("base.conf").toAbsolutePath(), plan.runFile().toAbsolutePath(),
                "run is found beside the experiment file");
        assertEquals(ExperimentPlan.DEFAULT_DECODE_SENTENCES, plan.decodeSentences());
        assertEquals(List.of("softmax", "sinkhorn"),
                plan.variants().stream().map(ExperimentPlan.Variant::name).toList());
        RunConfig softmax = plan.variants().get(0).config();
        RunConfig sinkhorn = plan.variants().get(1).config();
        assertEquals(3, sinkhorn.averaging().rounds(), "the experiment's set wins over the run file");
        assertEquals(5, sinkhorn.averaging().stepsPerRound(), "--set wins over the run file");
        assertEquals(2, sinkhorn.model().heads(), "nested keys in a set work like quoted ones");
        assertEquals("softmax", softmax.model().normalization());
        assertEquals("sinkhorn", sinkhorn.model().normalization());
        assertEquals(0.05, sinkhorn.knobs().entropyWeight(), 1e-12);
        assertEquals("fixed", softmax.tuner().policy());
        assertEquals("dual-ascent", sinkhorn.tuner().policy(), "the default where the variant says nothing");
        assertEquals(dir.resolve("out").resolve("sinkhorn").toString(), sinkhorn.output().dir());
    }

    @Test
    void aVariantThatChangesTheComputeIsRefusedNamingVariantAndKey() {
        for (String key : List.of("train.rounds", "train.seed", "train.batchTokens", "train.replicas",
                "train.stepsPerRound", "corpus.train", "vocab.size", "model.maxLength", "spark.master")) {
            ConfigException e = assertThrows(ConfigException.class, () -> load("""
                    variants = [ { name = base }, { name = greedy, set { "%s" = 2 } } ]
                    """.formatted(key)));
            assertEquals("variant greedy: " + key, e.key());
            assertTrue(e.getMessage().contains("equal compute"), e.getMessage());
        }
    }

    @Test
    void aTimeBudgetIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(TWO_VARIANTS, "train.maxMinutes=15"));
        assertEquals("train.maxMinutes", e.key());
    }

    @Test
    void variantNamesMustBeUniqueAndSafeDirectoryNames() {
        ConfigException twice = assertThrows(ConfigException.class,
                () -> load("variants = [ { name = a }, { name = b }, { name = a } ]"));
        assertEquals("variants[2].name", twice.key());
        for (String unsafe : List.of("\"../up\"", "\"a b\"", "\".hidden\"", "\"x/y\"", "\"experiment.md\"")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> load("variants = [ { name = " + unsafe + " } ]"), unsafe);
            assertEquals("variants[0].name", e.key(), unsafe);
        }
        assertEquals("variants[0].name",
                assertThrows(ConfigException.class, () -> load("variants = [ { set { } } ]")).key());
    }

    @Test
    void unknownKeysAreNamed() {
        assertEquals("varaints", assertThrows(ConfigException.class,
                () -> load("varaints = [ { name = a } ]")).key());
        assertEquals("variants[0].sett", assertThrows(ConfigException.class,
                () -> load("variants = [ { name = a, sett { } } ]")).key());
        IllegalArgumentException inVariant = assertThrows(IllegalArgumentException.class,
                () -> load("variants = [ { name = a }, { name = b, set { \"model.hedas\" = 8 } } ]"));
        assertInstanceOf(ConfigException.class, inVariant.getCause());
        assertTrue(inVariant.getMessage().startsWith("variant b: ") && inVariant.getMessage().contains("model.hedas"),
                inVariant.getMessage());
        assertEquals("model.hedas", assertThrows(ConfigException.class,
                () -> load("set { \"model.hedas\" = 8 }\nvariants = [ { name = a } ]")).key(),
                "an error of the shared settings names no variant");
    }

    @Test
    void malformedOrMissingPartsAreNamed() {
        assertEquals("variants", assertThrows(ConfigException.class, () -> load("set { }")).key());
        assertEquals("variants", assertThrows(ConfigException.class, () -> load("variants = []")).key());
        assertEquals("variants", assertThrows(ConfigException.class, () -> load("variants = 3")).key());
        assertEquals("variants[0]", assertThrows(ConfigException.class, () -> load("variants = [ a ]")).key());
        assertEquals("set", assertThrows(ConfigException.class,
                () -> load("set = 3\nvariants = [ { name = a } ]")).key());
        assertEquals("run", assertThrows(ConfigException.class,
                () -> load("run = \"no-such.conf\"\nvariants = [ { name = a } ]")).key());
        assertEquals("decodeSentences", assertThrows(ConfigException.class,
                () -> load("decodeSentences = 0\nvariants = [ { name = a } ]")).key());
        assertTrue(assertThrows(ConfigException.class, () -> load("variants = [ {")).key().startsWith("--conf"));
        assertEquals("--conf", assertThrows(ConfigException.class,
                () -> ExperimentPlan.load(dir.resolve("missing.conf"), List.of(), dir)).key());
    }

    @Test
    void shippedExperimentsAreValid() {
        Path conf = Path.of("..", "conf");
        ExperimentPlan sample = ExperimentPlan.load(conf.resolve("experiment-sample.conf"), List.of(), dir);
        assertEquals("softmax", sample.variants().get(0).name());
        ExperimentPlan enFr = ExperimentPlan.load(conf.resolve("experiment-en-fr.conf"), List.of(), dir);
        RunConfig budget = enFr.variants().get(4).config();
        assertTrue(budget.model().headGates() && budget.tuner().hasHeadBudget());
        assertEquals(2, budget.averaging().replicas());
        assertEquals(128, budget.model().modelDim(), "conf/local.conf's model size, set over bench-en-fr.conf's");
        assertEquals(0, budget.averaging().maxMinutes(), "equal steps, not bench-en-fr.conf's 15 minutes");
    }
}
