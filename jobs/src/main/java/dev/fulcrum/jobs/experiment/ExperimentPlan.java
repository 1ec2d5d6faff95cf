package dev.fulcrum.jobs.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.config.Check;
import dev.fulcrum.model.config.ConfigException;

/**
 * An experiment file, read and validated once, before Spark starts: every variant's complete run
 * configuration. Layers of a variant: built-in defaults &lt; {@code run} (a run configuration file) &lt; the
 * experiment's {@code set} &lt; {@code --set} of the command line &lt; the variant's {@code set} &lt;
 * {@code output.dir = OUT/<name>}. The file (HOCON):
 * <pre>
 *   run = "bench-en-fr.conf"                  # optional; relative to the experiment file, else to the cwd
 *   set { "train.rounds" = 10 }               # optional; every variant
 *   decodeSentences = 200                     # optional; validation sentences decoded per final model
 *   variants = [
 *     { name = softmax,  set { "model.normalization" = softmax } }
 *     { name = sinkhorn, set { "model.normalization" = sinkhorn } }
 *   ]
 * </pre>
 * A variant may not set what decides its minibatches ({@link EqualCompute}); errors name the key (and the
 * variant) and are {@link ConfigException}s, or an {@link IllegalArgumentException} caused by one when a
 * variant's run configuration is invalid.
 *
 * @param file            the experiment file
 * @param runFile         the base run configuration file, or null for the built-in defaults alone
 * @param out             the experiment's directory: OUT/experiment.md, OUT/experiment.json, OUT/&lt;variant&gt;/
 * @param decodeSentences the first this many validation pairs are translated with each final model, timed
 * @param variants        in file order; the first is the baseline
 */
public record ExperimentPlan(Path file, Path runFile, Path out, int decodeSentences, List<Variant> variants) {
    static final String RUN = "run";
    static final String SET = "set";
    static final String DECODE_SENTENCES = "decodeSentences";
    static final String VARIANTS = "variants";
    static final String NAME = "name";
    static final int DEFAULT_DECODE_SENTENCES = 200;
    private static final List<String> KEYS = List.of(RUN, SET, DECODE_SENTENCES, VARIANTS);
    private static final List<String> VARIANT_KEYS = List.of(NAME, SET);
    /** A variant's name is a directory name on every file system: no separators, dots or spaces. */
    private static final String SAFE_NAME = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

    /** One configuration to train: its name (and directory) and its complete run configuration. */
    public record Variant(String name, RunConfig config) {
    }

    public ExperimentPlan {
        variants = List.copyOf(variants);
    }

    /**
     * Reads {@code file}; {@code overrides} ({@code key=value}, from {@code --set}) apply to every variant.
     *
     * @throws ConfigException          for a missing or malformed file, an unknown or ill-typed key, a repeated
     *                                  or unsafe name, a variant setting a shared key, a time budget
     * @throws IllegalArgumentException caused by a {@link ConfigException}, naming the variant, when a
     *                                  variant's run configuration is invalid
     */
    public static ExperimentPlan load(Path file, List<String> overrides, Path out) {
        Config experiment = parse(file);
        for (String key : experiment.root().keySet()) {
            Check.that(KEYS.contains(key), key, experiment.root().get(key).unwrapped(),
                    "a key of an experiment file: " + String.join(", ", KEYS));
        }
        Path runFile = experiment.hasPath(RUN) ? runFile(file, text(experiment, RUN)) : null;
        List<String> common = new ArrayList<>(settings(SET, object(experiment, SET, SET)).values());
        common.addAll(overrides);
        RunConfig base = RunConfig.load(runFile, common);
        EqualCompute.requireNoTimeBudget(base);
        int decodeSentences = experiment.hasPath(DECODE_SENTENCES)
                ? Check.intRange(DECODE_SENTENCES, integer(experiment, DECODE_SENTENCES), 1, 1_000_000)
                : DEFAULT_DECODE_SENTENCES;
        return new ExperimentPlan(file, runFile, out, decodeSentences, variants(experiment, runFile, common, out));
    }

    private static Config parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--conf", file, "an existing experiment file");
        }
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                    .resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("--conf " + file, "(unparsable)", "valid HOCON: " + e.getMessage());
        }
    }

    /** {@code run} relative to the experiment file when it exists there, else as given (the working directory). */
    private static Path runFile(Path experimentFile, String run) {
        Path given = Path.of(run);
        Path besideExperiment = experimentFile.toAbsolutePath().getParent().resolve(given);
        Path chosen = !given.isAbsolute() && Files.isRegularFile(besideExperiment) ? besideExperiment : given;
        Check.that(Files.isRegularFile(chosen), RUN, run,
                "an existing run configuration file, relative to the experiment file or the working directory");
        return chosen;
    }

    private static List<Variant> variants(Config experiment, Path runFile, List<String> common, Path out) {
        ConfigList list = list(experiment, VARIANTS);
        Check.that(!list.isEmpty(), VARIANTS, "[]", "at least one variant");
        List<Variant> variants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = VARIANTS + "[" + i + "]";
            Check.that(list.get(i).valueType() == ConfigValueType.OBJECT, at, list.get(i).unwrapped(),
                    "an object { name = ..., set { ... } }");
            Config variant = ((ConfigObject) list.get(i)).toConfig();
            for (String key : variant.root().keySet()) {
                Check.that(VARIANT_KEYS.contains(key), at + "." + key, variant.root().get(key).unwrapped(),
                        "a key of a variant: " + String.join(", ", VARIANT_KEYS));
            }
            Check.that(variant.hasPath(NAME), at + "." + NAME, "(missing)", "a name, used as its directory name");
            String name = typed(variant, NAME, at + "." + NAME, "a string", () -> variant.getString(NAME));
            Check.that(name.matches(SAFE_NAME), at + "." + NAME, name,
                    "letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters");
            Check.that(names.add(name), at + "." + NAME, name, "a name no other variant has");
            ConfigObject set = object(variant, SET, at + "." + SET);
            variants.add(new Variant(name, variantConfig(name, set, runFile, common, out)));
        }
        return variants;
    }

    private static RunConfig variantConfig(String name, ConfigObject set, Path runFile, List<String> common,
                                           Path out) {
        Map<String, String> own = settings("variant " + name + ": " + SET, set);
        own.forEach((key, override) -> EqualCompute.requireVariantKeyAllowed(name, key,
                override.substring(key.length() + 1)));
        List<String> all = new ArrayList<>(common);
        all.addAll(own.values());
        all.add(RunConfig.override("output.dir", out.resolve(name).toString()));
        try {
            return RunConfig.load(runFile, all);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("variant " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The leaves of a {@code set} block as overrides, key → {@code key=value}: quoted keys
     * ({@code "train.rounds" = 10}) and nested ones ({@code train { rounds = 10 }}) alike.
     */
    private static Map<String, String> settings(String where, ConfigObject set) {
        Map<String, String> overrides = new LinkedHashMap<>();
        collect(where, "", set, overrides);
        return overrides;
    }

    private static void collect(String where, String prefix, ConfigObject object, Map<String, String> overrides) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String key = prefix + entry.getKey();
            ConfigValue value = entry.getValue();
            if (value.valueType() == ConfigValueType.OBJECT) {
                collect(where, key + ".", (ConfigObject) value, overrides);
            } else {
                Check.that(value.valueType() != ConfigValueType.NULL, where + " " + key, "null", "a value");
                overrides.put(key, key + "=" + value.render(ConfigRenderOptions.concise()));
            }
        }
    }

    private static ConfigObject object(Config config, String key, String shown) {
        if (!config.hasPath(key)) {
            return ConfigFactory.empty().root();
        }
        return typed(config, key, shown, "an object of \"key\" = value settings", () -> config.getObject(key));
    }

    private static ConfigList list(Config config, String key) {
        Check.that(config.hasPath(key), key, "(missing)", "a list of variants [ { name = ..., set { ... } } ]");
        return typed(config, key, key, "a list of variants [ { name = ..., set { ... } } ]",
                () -> config.getList(key));
    }

    private static String text(Config config, String key) {
        return typed(config, key, key, "a string", () -> config.getString(key));
    }

    private static int integer(Config config, String key) {
        return typed(config, key, key, "an integer", () -> config.getInt(key));
    }

    /** {@code reader}'s value of {@code key}; a value of another type is an error naming {@code shown}. */
    private static <T> T typed(Config config, String key, String shown, String expected,
                               java.util.function.Supplier<T> reader) {
        try {
            return reader.get();
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(shown, config.getValue(key).unwrapped(), expected);
        }
    }
}
