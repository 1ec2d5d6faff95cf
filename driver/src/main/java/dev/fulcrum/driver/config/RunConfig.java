package dev.fulcrum.driver.config;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import dev.fulcrum.driver.ingest.CorpusFormat;
import dev.fulcrum.driver.ingest.IngestOptions;
import dev.fulcrum.model.config.Check;
import dev.fulcrum.model.config.ConfigException;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.decode.DecodeOptions;
import dev.fulcrum.model.prune.PruningRule;

/**
 * Everything a run can be told, read once from HOCON and validated once, before Spark starts. The defaults
 * and the documentation of every key are {@code fulcrum-defaults.conf}; a run file and {@code key=value}
 * overrides are layered on top. {@code rendered} is the merged configuration as HOCON, stored with every run
 * so that {@code --resume} reads back exactly what the run started with. An unknown key, a value of the wrong type or out of range is a
 * {@link ConfigException} naming the key and what is allowed.
 */
public record RunConfig(Corpus corpus, IngestOptions ingest, Split split, Vocab vocab, ModelConfig model,
                        TrainingConfig training, Averaging averaging, Divergence divergence, Knobs knobs,
                        TunerSettings tuner,
                        DecodeOptions decode, Eval eval, SparkSettings spark, Output output, String rendered)
        implements Serializable {

    private static final String DEFAULTS = "fulcrum-defaults.conf";

    /** Where the pairs come from. */
    public record Corpus(String train, String valid) implements Serializable {
    }

    /** Validation pairs held out of the training corpus when no validation corpus is given. */
    public record Split(double validFraction, int validMax) implements Serializable {
        public Split {
            Check.that(validFraction > 0 && validFraction < 0.5, "split.validFraction", validFraction,
                    "a number in (0, 0.5)");
            Check.intRange("split.validMax", validMax, 1, 10_000_000);
        }
    }

    public record Vocab(int size, int minPairCount) implements Serializable {
        public Vocab {
            Check.intRange("vocab.size", size, 300, 1 << 20);
            Check.intRange("vocab.minPairCount", minPairCount, 1, 1_000_000);
        }
    }

    /**
     * The rounds of parameter averaging and who takes part in them.
     *
     * @param rounds        averaging rounds of the run
     * @param stepsPerRound averaging frequency: steps each replica takes between averagings
     * @param replicas      parameter-averaged replicas (Spark tasks); 0 = one in local mode, one per task's cores on a
     *                      cluster (see {@code dev.fulcrum.driver.train.Parallelism})
     * @param threadsPerReplica gradient workers inside a replica, averaging gradients every step; 0 = one per core
     * @param maxMinutes    training-time budget; 0 = none
     */
    public record Averaging(int rounds, int stepsPerRound, int replicas, int threadsPerReplica, double maxMinutes)
            implements Serializable {
        public Averaging {
            Check.intRange("train.rounds", rounds, 1, 1_000_000);
            Check.intRange("train.stepsPerRound", stepsPerRound, 1, 1_000_000);
            Check.intRange("train.replicas", replicas, 0, 100_000);
            Check.intRange("train.threadsPerReplica", threadsPerReplica, 0, 1024);
            Check.range("train.maxMinutes", maxMinutes, 0, 1e7);
        }
    }

    /**
     * What the driver does when a round diverges (see {@code dev.fulcrum.driver.train.DivergenceGuard}).
     *
     * @param tolerance      a round diverged when its validation loss is above the best so far by more than this
     *                       fraction (or is not finite, or no replica's update was)
     * @param maxRollbacks   roll-backs to the best round allowed before the run stops
     * @param rollbackFactor what every roll-back multiplies the learning rate by
     */
    public record Divergence(double tolerance, int maxRollbacks, double rollbackFactor) implements Serializable {
        public Divergence {
            Check.that(tolerance > 0 && tolerance <= 100, "train.divergenceTolerance", tolerance,
                    "a number in (0, 100]");
            Check.intRange("train.maxRollbacks", maxRollbacks, 0, 1000);
            Check.that(rollbackFactor > 0 && rollbackFactor < 1, "train.rollbackFactor", rollbackFactor,
                    "a number in (0, 1)");
        }
    }

    /**
     * How the balancing knobs move between rounds (see {@code dev.fulcrum.driver.tune.Tuner}); the meaning of
     * every key is in {@code fulcrum-defaults.conf}.
     */
    public record TunerSettings(String policy, double entropyRate, double entropyTarget, double coverageRate,
                                double coverageTarget, double gateRate, double headBudget, String budgetScope,
                                double settleBelow, double maxWeight, double lossTolerance, double backoff)
            implements Serializable {
        public static final String FIXED = "fixed";
        public static final String DUAL_ASCENT = "dual-ascent";
        public static final String GLOBAL = "global";
        public static final String LAYER = "layer";

        public TunerSettings {
            Check.oneOf("tuner.policy", policy, FIXED, DUAL_ASCENT);
            Check.range("tuner.entropyRate", entropyRate, 0, 1e3);
            Check.range("tuner.entropyTarget", entropyTarget, 0, 1);
            Check.range("tuner.coverageRate", coverageRate, 0, 1e3);
            Check.range("tuner.coverageTarget", coverageTarget, 0, 1);
            Check.range("tuner.gateRate", gateRate, 0, 1e3);
            Check.that(headBudget > 0 && headBudget <= 1, "tuner.headBudget", headBudget, "a number in (0, 1]");
            Check.oneOf("tuner.budgetScope", budgetScope, GLOBAL, LAYER);
            Check.that(settleBelow >= 0 && settleBelow < 1, "tuner.settleBelow", settleBelow, "a number in [0, 1)");
            Check.range("tuner.maxWeight", maxWeight, 0, 1e3);
            Check.range("tuner.lossTolerance", lossTolerance, 0, 10);
            Check.range("tuner.backoff", backoff, 0, 1);
        }

        /** A head budget of 1 (every head may stay open) is no budget: the tuner leaves gateWeight alone. */
        public boolean hasHeadBudget() {
            return headBudget < 1;
        }

        /** The heads the budget lets a gated model keep (all open ones without a budget). */
        public PruningRule pruningRule() {
            return hasHeadBudget() ? new PruningRule(headBudget,
                    PruningRule.Scope.valueOf(budgetScope.toUpperCase(Locale.ROOT))) : PruningRule.CLOSED_GATES;
        }
    }

    public record Eval(int bleuSentences, int batchSize, int examples) implements Serializable {
        public Eval {
            Check.intRange("eval.bleuSentences", bleuSentences, 0, 1_000_000);
            Check.intRange("eval.batchSize", batchSize, 1, 4096);
            Check.intRange("eval.examples", examples, 0, 1000);
        }
    }

    public record SparkSettings(String master, String appName) implements Serializable {
    }

    public record Output(String dir, int keepCheckpoints) implements Serializable {
        public Output {
            Check.that(!dir.isBlank(), "output.dir", "\"\"", "a directory path");
            Check.intRange("output.keepCheckpoints", keepCheckpoints, 2, 10_000);
        }
    }

    /**
     * Keys (or key prefixes) a resumed run must keep: they decide its data (cleaning, validation split,
     * vocabulary, order and dealing) and its model. Any other key may change on resume (more rounds, another
     * learning rate, other tuner settings). corpus.train may move: the training corpus is compared by content.
     */
    public static final List<String> FIXED_FOR_A_RUN = List.of("corpus.valid", "ingest.", "split.", "vocab.", "model.",
            "train.seed", "train.batchTokens", "train.stepsPerRound", "train.replicas", "train.threadsPerReplica");

    /** A key whose value differs between two configurations; {@code fixed}: see {@link #FIXED_FOR_A_RUN}. */
    public record Change(String key, Object before, Object now, boolean fixed) {
        @Override
        public String toString() {
            return key + " = " + before + " → " + now;
        }
    }

    /** The keys whose values differ from {@code before}'s (output.dir aside: a run directory may move). */
    public List<Change> changesSince(RunConfig before) {
        Config was = ConfigFactory.parseString(before.rendered());
        Config is = ConfigFactory.parseString(rendered);
        List<Change> changes = new ArrayList<>();
        for (ConfigKey key : keys()) {
            Object old = was.hasPath(key.name()) ? was.getValue(key.name()).unwrapped() : null;
            Object now = is.hasPath(key.name()) ? is.getValue(key.name()).unwrapped() : null;
            if (!key.name().equals("output.dir") && !sameValue(old, now)) {
                changes.add(new Change(key.name(), old, now,
                        FIXED_FOR_A_RUN.stream().anyMatch(fixed -> key.name().startsWith(fixed))));
            }
        }
        return changes;
    }

    /** 2 and 2.0 are the same number, whichever way a file or an override wrote it. */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return java.util.Objects.equals(a, b);
    }

    /** The defaults alone. */
    public static RunConfig defaults() {
        return load(null, List.of());
    }

    /**
     * Defaults, then {@code file} (may be null), then {@code overrides} ({@code key=value}, HOCON values).
     *
     * @throws ConfigException for a missing file, a malformed file or override, an unknown key or a bad value
     */
    public static RunConfig load(Path file, List<String> overrides) {
        Config defaults = defaultsFile();
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("--conf", file, "an existing configuration file");
            }
            user = parse("--conf " + file, () -> ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false)));
        }
        for (String override : overrides) {
            user = parseOverride(override).withFallback(user);
        }
        rejectUnknownKeys(user, defaults);
        return from(user.withFallback(defaults).resolve());
    }

    /**
     * Defaults, then {@code settings} (key → value: Integer, Double, Boolean or String), as the Spark ML
     * {@code Param}s of {@code dev.fulcrum.ml} hand them over.
     *
     * @throws ConfigException for an unknown key or a bad value
     */
    public static RunConfig load(Map<String, ?> settings) {
        Config defaults = defaultsFile();
        Config user = parse("settings", () -> ConfigFactory.parseMap(settings));
        rejectUnknownKeys(user, defaults);
        return from(user.withFallback(defaults).resolve());
    }

    /**
     * Every key: its name, the type {@link RunConfig} reads it as, its default and the comment above it in
     * {@code fulcrum-defaults.conf}, grouped by section. Derived from the reading code itself, so it cannot drift.
     */
    public static List<ConfigKey> keys() {
        Config defaults = defaultsFile().resolve();
        Values recorder = new Values(defaults);
        from(defaults, recorder);
        List<ConfigKey> keys = new ArrayList<>();
        recorder.kinds.forEach((key, kind) -> keys.add(new ConfigKey(key, kind,
                defaults.getValue(key).unwrapped(), documentation(defaults, key))));
        return keys;
    }

    /** The comment lines above {@code key} in the defaults file, or a pointer to the file when there are none. */
    private static String documentation(Config defaults, String key) {
        List<String> comments = defaults.getValue(key).origin().comments();
        return comments.isEmpty() ? key + " (see fulcrum-defaults.conf)"
                : String.join(" ", comments.stream().map(String::trim).toList());
    }

    private static Config defaultsFile() {
        return ConfigFactory.parseResources(RunConfig.class, "/" + DEFAULTS);
    }

    private static RunConfig from(Config config) {
        return from(config, new Values(config));
    }

    private static RunConfig from(Config config, Values c) {
        return new RunConfig(
                new Corpus(c.text("corpus.train"), c.text("corpus.valid")),
                new IngestOptions(CorpusFormat.parse(c.text("ingest.format")), c.text("ingest.sourceColumn"),
                        c.text("ingest.targetColumn"), c.text("ingest.sourceLang"), c.text("ingest.targetLang"),
                        c.integer("ingest.maxChars"), c.number("ingest.maxBadFraction")),
                new Split(c.number("split.validFraction"), c.integer("split.validMax")),
                new Vocab(c.integer("vocab.size"), c.integer("vocab.minPairCount")),
                new ModelConfig(c.integer("vocab.size"), c.integer("model.modelDim"), c.integer("model.heads"),
                        c.integer("model.ffnDim"), c.integer("model.encoderLayers"),
                        c.integer("model.decoderLayers"), c.number("model.dropout"),
                        c.number("model.labelSmoothing"), c.integer("model.maxLength"),
                        c.text("model.normalization"), c.integer("model.sinkhornIterations"),
                        c.flag("model.headGates")),
                new TrainingConfig(c.number("train.peakLearningRate"), c.integer("train.warmupSteps"),
                        c.number("train.clipNorm"), c.integer("train.batchTokens"), c.integer("train.seed"),
                        c.number("train.gateLearningRateScale")),
                new Averaging(c.integer("train.rounds"), c.integer("train.stepsPerRound"), c.integer("train.replicas"),
                        c.integer("train.threadsPerReplica"), c.number("train.maxMinutes")),
                new Divergence(c.number("train.divergenceTolerance"), c.integer("train.maxRollbacks"),
                        c.number("train.rollbackFactor")),
                new Knobs(c.number("knobs.entropyWeight"), c.number("knobs.entropyLow"),
                        c.number("knobs.entropyHigh"), c.number("knobs.coverageWeight"),
                        c.number("knobs.gateWeight"), c.number("knobs.decoderGateScale")),
                new TunerSettings(c.text("tuner.policy"), c.number("tuner.entropyRate"),
                        c.number("tuner.entropyTarget"), c.number("tuner.coverageRate"),
                        c.number("tuner.coverageTarget"), c.number("tuner.gateRate"), c.number("tuner.headBudget"),
                        c.text("tuner.budgetScope"), c.number("tuner.settleBelow"), c.number("tuner.maxWeight"), c.number("tuner.lossTolerance"),
                        c.number("tuner.backoff")),
                new DecodeOptions(c.integer("decode.beam"), c.number("decode.lengthPenalty"),
                        c.number("decode.coveragePenalty"), c.number("decode.maxLengthRatio"),
                        c.integer("decode.maxLengthOffset")),
                new Eval(c.integer("eval.bleuSentences"), c.integer("eval.batchSize"), c.integer("eval.examples")),
                new SparkSettings(c.text("spark.master"), c.text("spark.appName")),
                new Output(c.text("output.dir"), c.integer("output.keepCheckpoints")),
                config.root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false)));
    }

    /** Typed reads whose type errors (e.g. "abc" for an integer) name the key; remembers each key's kind. */
    private static final class Values {
        private final Config config;
        private final Map<String, ConfigKey.Kind> kinds = new java.util.LinkedHashMap<>();

        Values(Config config) {
            this.config = config;
        }

        int integer(String key) {
            return typed(key, ConfigKey.Kind.INTEGER, () -> config.getInt(key));
        }

        double number(String key) {
            return typed(key, ConfigKey.Kind.NUMBER, () -> config.getDouble(key));
        }

        boolean flag(String key) {
            return typed(key, ConfigKey.Kind.FLAG, () -> config.getBoolean(key));
        }

        String text(String key) {
            return typed(key, ConfigKey.Kind.TEXT, () -> config.getString(key));
        }

        private <T> T typed(String key, ConfigKey.Kind kind, java.util.function.Supplier<T> reader) {
            kinds.putIfAbsent(key, kind);
            String expected = kind.expected();
            try {
                return reader.get();
            } catch (com.typesafe.config.ConfigException.WrongType e) {
                throw new ConfigException(key, config.getValue(key).unwrapped(), expected);
            }
        }
    }

    /** An override that sets {@code key} to exactly the string {@code value} (quoted for HOCON). */
    public static String override(String key, String value) {
        return key + "=" + com.typesafe.config.ConfigValueFactory.fromAnyRef(value).render(ConfigRenderOptions.concise());
    }

    private static Config parseOverride(String override) {
        int equals = override.indexOf('=');
        if (equals <= 0) {
            throw new ConfigException("--set", override, "key=value, e.g. train.rounds=20");
        }
        String key = override.substring(0, equals).trim();
        String value = override.substring(equals + 1).trim();
        return parse("--set " + key, () -> ConfigFactory.parseMap(Map.of(key, parseValue(key, value))));
    }

    /** A HOCON value (number, boolean, quoted string) or else the bare text as a string. */
    private static Object parseValue(String key, String value) {
        try {
            return ConfigFactory.parseString("v = " + value).getValue("v").unwrapped();
        } catch (com.typesafe.config.ConfigException e) {
            return value;
        }
    }

    private static void rejectUnknownKeys(Config user, Config defaults) {
        for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
            if (!defaults.hasPath(entry.getKey())) {
                throw new ConfigException(entry.getKey(), entry.getValue().unwrapped(),
                        "a known key; known keys: " + knownKeys(defaults, entry.getKey()));
            }
        }
    }

    /** The keys of the section {@code key} belongs to, or all sections when the section is unknown too. */
    private static String knownKeys(Config defaults, String key) {
        String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
        TreeSet<String> known = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> entry : defaults.entrySet()) {
            if (!defaults.hasPath(section) || entry.getKey().startsWith(section + ".")) {
                known.add(entry.getKey());
            }
        }
        return String.join(", ", known);
    }

    private static Config parse(String what, java.util.function.Supplier<Config> parser) {
        try {
            return parser.get();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(what, "(unparsable)", "valid HOCON: " + e.getMessage());
        }
    }

    /** Every key with its default value, for help texts. */
    public static List<String> documentedKeys() {
        Config defaults = defaultsFile();
        List<String> keys = new ArrayList<>();
        defaults.entrySet().forEach(e -> keys.add(e.getKey() + " = " + e.getValue().render()));
        keys.sort(null);
        return keys;
    }
}
