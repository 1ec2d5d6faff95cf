package dev.fulcrum.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.fulcrum.model.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigTest {

    @Test
    void defaultsAreValidAndDocumentEveryKey() {
        RunConfig config = RunConfig.defaults();
        assertEquals(256, config.model().modelDim());
        assertEquals(8000, config.model().vocabSize());
        assertTrue(RunConfig.documentedKeys().contains("train.stepsPerRound = 20"));
    }

    @Test
    void fileThenOverridesAreLayeredOnTheDefaults(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("run.conf");
        Files.writeString(file, "model { heads = 8, normalization = sinkhorn }\ntrain.rounds = 3\n");
        RunConfig config = RunConfig.load(file, List.of("train.rounds=7", "corpus.train=/data/x y.tsv"));
        assertEquals(8, config.model().heads());
        assertEquals("sinkhorn", config.model().normalization());
        assertEquals(7, config.averaging().rounds());
        assertEquals("/data/x y.tsv", config.corpus().train());
        assertEquals(1024, config.model().ffnDim(), "untouched keys keep their defaults");
    }

    @Test
    void renderedConfigurationReadsBackTheSame(@TempDir Path dir) throws IOException {
        RunConfig config = RunConfig.load(null, List.of("model.heads=2", "knobs.gateWeight=0.5"));
        Path file = dir.resolve("run.conf");
        Files.writeString(file, config.rendered());
        assertEquals(config, RunConfig.load(file, List.of()));
    }

    @Test
    void unknownKeyIsNamedWithTheKnownKeysOfItsSection() {
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfig.load(null, List.of("model.hedas=8")));
        assertEquals("model.hedas", e.key());
        assertTrue(e.getMessage().contains("model.heads"), e.getMessage());
    }

    @Test
    void outOfRangeAndWrongTypeNameTheKeyAndTheAllowedValues() {
        ConfigException range = assertThrows(ConfigException.class,
                () -> RunConfig.load(null, List.of("train.stepsPerRound=0")));
        assertEquals("train.stepsPerRound", range.key());
        assertTrue(range.getMessage().contains("[1, 1000000]"), range.getMessage());
        ConfigException type = assertThrows(ConfigException.class,
                () -> RunConfig.load(null, List.of("model.heads=many")));
        assertEquals("model.heads", type.key());
        assertTrue(type.getMessage().contains("an integer"), type.getMessage());
        ConfigException choice = assertThrows(ConfigException.class,
                () -> RunConfig.load(null, List.of("model.normalization=sparsemax")));
        assertTrue(choice.getMessage().contains("softmax, sinkhorn"), choice.getMessage());
    }

    @Test
    void divergenceSettingsAreValidated() {
        RunConfig.Divergence divergence = RunConfig.defaults().divergence();
        assertEquals(new RunConfig.Divergence(0.25, 3, 0.5), divergence);
        for (String bad : List.of("train.divergenceTolerance=0", "train.rollbackFactor=1", "train.maxRollbacks=-1")) {
            ConfigException e = assertThrows(ConfigException.class, () -> RunConfig.load(null, List.of(bad)));
            assertEquals(bad.substring(0, bad.indexOf('=')), e.key());
        }
    }

    @Test
    void changesSinceNameEveryChangedKeyAndWhichAFixedOneIs() {
        RunConfig before = RunConfig.load(null, List.of("train.rounds=5", "corpus.train=a.tsv"));
        RunConfig after = RunConfig.load(null, List.of("train.rounds=9", "corpus.train=b.tsv", "model.heads=8",
                "train.seed=7", "train.peakLearningRate=1e-3", "output.dir=elsewhere"));

        assertEquals(List.of("corpus.train = a.tsv → b.tsv", "model.heads = 4 → 8", "train.rounds = 5 → 9",
                "train.seed = 42 → 7"), after.changesSince(before).stream().map(Object::toString).sorted().toList(),
                "1e-3 is the default 0.001; output.dir may move");
        assertEquals(List.of("model.heads", "train.seed"), after.changesSince(before).stream()
                .filter(RunConfig.Change::fixed).map(RunConfig.Change::key).sorted().toList());
        assertEquals(List.of(), before.changesSince(before));
    }

    @Test
    void tunerSectionDefaultsToDualAscentAndIsValidated() {
        RunConfig.TunerSettings tuner = RunConfig.defaults().tuner();
        assertEquals("dual-ascent", tuner.policy());
        assertEquals(1.0, tuner.headBudget(), "no head budget by default");
        assertEquals("layer", RunConfig.load(null, List.of("tuner.budgetScope=layer")).tuner().budgetScope());

        ConfigException policy = assertThrows(ConfigException.class,
                () -> RunConfig.load(null, List.of("tuner.policy=gradient")));
        assertEquals("tuner.policy", policy.key());
        assertTrue(policy.getMessage().contains("fixed, dual-ascent"), policy.getMessage());
        ConfigException scope = assertThrows(ConfigException.class,
                () -> RunConfig.load(null, List.of("tuner.budgetScope=head")));
        assertTrue(scope.getMessage().contains("global, layer"), scope.getMessage());
        assertEquals("tuner.headBudget", assertThrows(ConfigException.class,
                () -> RunConfig.load(null, List.of("tuner.headBudget=0"))).key());
        assertEquals("tuner.backoff", assertThrows(ConfigException.class,
                () -> RunConfig.load(null, List.of("tuner.backoff=1.5"))).key());
        assertEquals("tuner.gateRate", assertThrows(ConfigException.class,
                () -> RunConfig.load(null, List.of("tuner.gateRate=-1"))).key());
        ConfigException settle = assertThrows(ConfigException.class,
                () -> RunConfig.load(null, List.of("tuner.settleBelow=1")));
        assertEquals("tuner.settleBelow", settle.key());
        assertTrue(settle.getMessage().contains("[0, 1)"), settle.getMessage());
        assertEquals("knobs.decoderGateScale", assertThrows(ConfigException.class,
                () -> RunConfig.load(null, List.of("knobs.decoderGateScale=-2"))).key());
        assertEquals(3.0, RunConfig.load(null, List.of("knobs.decoderGateScale=3")).knobs().decoderGateScale());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> RunConfig.load(null, List.of("tuner.rate=1")));
        assertTrue(unknown.getMessage().contains("tuner.entropyRate"), unknown.getMessage());
    }

    @Test
    void malformedOverrideAndMissingFileAreClearErrors(@TempDir Path dir) {
        assertEquals("--set", assertThrows(ConfigException.class,
                () -> RunConfig.load(null, List.of("rounds"))).key());
        assertEquals("--conf", assertThrows(ConfigException.class,
                () -> RunConfig.load(dir.resolve("missing.conf"), List.of())).key());
    }

    @Test
    void keysAreEveryDocumentedKeyWithTheTypeRunConfigReadsItAs() {
        List<ConfigKey> keys = RunConfig.keys();
        assertEquals(RunConfig.documentedKeys().stream().map(k -> k.substring(0, k.indexOf(' '))).sorted().toList(),
                keys.stream().map(ConfigKey::name).sorted().toList());
        java.util.Map<String, ConfigKey> byName = new java.util.HashMap<>();
        keys.forEach(k -> byName.put(k.name(), k));
        assertEquals(ConfigKey.Kind.NUMBER, byName.get("train.maxMinutes").kind(), "0 in the file, read as a number");
        assertEquals(ConfigKey.Kind.INTEGER, byName.get("train.rounds").kind());
        assertEquals(ConfigKey.Kind.FLAG, byName.get("model.headGates").kind());
        assertEquals(ConfigKey.Kind.TEXT, byName.get("tuner.policy").kind());
        assertEquals("Number of averaging rounds.", byName.get("train.rounds").doc());
        assertEquals(10, byName.get("train.rounds").defaultValue());
    }

    @Test
    void settingsAreCheckedLikeOverridesAndChecksAcrossKeysNameTheOtherKey() {
        assertEquals(7, RunConfig.load(java.util.Map.of("train.rounds", 7)).averaging().rounds());
        ConfigException range = assertThrows(ConfigException.class,
                () -> RunConfig.load(java.util.Map.of("train.rounds", 0)));
        assertEquals("train.rounds", range.key());
        assertEquals(null, range.relatedKey());
        ConfigException related = assertThrows(ConfigException.class,
                () -> RunConfig.load(java.util.Map.of("model.heads", 3)));
        assertEquals("model.heads", related.key());
        assertEquals("model.modelDim", related.relatedKey());
        assertThrows(ConfigException.class, () -> RunConfig.load(java.util.Map.of("train.roundz", 7)));
    }
}
