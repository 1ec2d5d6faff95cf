package dev.fulcrum.ml;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.fulcrum.driver.config.ConfigKey;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.config.ConfigException;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.runtime.AbstractFunction1;

/**
 * Fulcrum's configuration keys as Spark ML {@link Param}s: same names ({@code train.rounds}), types, defaults and
 * documentation as {@code fulcrum-defaults.conf}, derived from {@link RunConfig#keys()} rather than copied. A
 * value is validated by {@link RunConfig} itself, with the other keys at their defaults; the error names the key
 * and the allowed values. A check that involves two keys (e.g. {@code model.heads} must divide
 * {@code model.modelDim}) is made on all params together, when {@code fit} or {@code transformSchema} builds the
 * run configuration, so that params can be set in any order.
 */
final class ConfigParams {
    /** Keys the estimator sets itself: the corpus is the DataFrame, Spark is the caller's session. */
    static final Set<String> SET_BY_ESTIMATOR = Set.of("corpus.train", "ingest.format", "ingest.sourceColumn",
            "ingest.targetColumn", "spark.master", "spark.appName");

    private ConfigParams() {
    }

    /** A param of {@code owner} for every key that {@code include} accepts, each with its default set on it. */
    @SuppressWarnings("unchecked")
    static List<Param<?>> create(Params owner, Predicate<String> include) {
        List<Param<?>> params = new java.util.ArrayList<>();
        for (ConfigKey key : RunConfig.keys()) {
            if (include.test(key.name())) {
                Param<?> param = param(owner.uid(), key);
                owner.setDefault((Param<Object>) param, typed(key.kind(), key.defaultValue()));
                params.add(param);
            }
        }
        return List.copyOf(params);
    }

    /**
     * The param of {@code key} among {@code params}.
     *
     * @throws ConfigException naming the key and listing the keys {@code owner} has
     */
    @SuppressWarnings("unchecked")
    static Param<Object> find(List<Param<?>> params, String key, String owner) {
        return (Param<Object>) params.stream().filter(p -> p.name().equals(key)).findFirst()
                .orElseThrow(() -> new ConfigException(key, "(any value)", "a configuration key of " + owner + ": "
                        + String.join(", ", params.stream().map(Param::name).toList())));
    }

    /** {@code value} as the type of {@code param}: what {@code setConfig} accepts from Scala, Java or Python. */
    static Object convert(Param<?> param, Object value) {
        ConfigKey.Kind kind = kindOf(param);
        try {
            return switch (kind) {
                case INTEGER -> value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                        ? n.intValue() : Integer.parseInt(value.toString().trim());
                case NUMBER -> value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
                case FLAG -> value instanceof Boolean b ? b : parseFlag(value.toString());
                case TEXT -> value.toString();
            };
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new ConfigException(param.name(), value, kind.expected());
        }
    }

    private static boolean parseFlag(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(text);
        };
    }

    private static ConfigKey.Kind kindOf(Param<?> param) {
        return param instanceof IntParam ? ConfigKey.Kind.INTEGER : param instanceof DoubleParam
                ? ConfigKey.Kind.NUMBER : param instanceof BooleanParam ? ConfigKey.Kind.FLAG : ConfigKey.Kind.TEXT;
    }

    /** Every config param of {@code owner} with its value (set or default), for {@link RunConfig#load(Map)}. */
    static Map<String, Object> settings(Params owner, List<Param<?>> params) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (Param<?> param : params) {
            settings.put(param.name(), owner.getOrDefault(param));
        }
        return settings;
    }

    private static Param<?> param(String parent, ConfigKey key) {
        return switch (key.kind()) {
            case INTEGER -> new IntParam(parent, key.name(), key.doc(), new Validator<>(key.name()));
            case NUMBER -> new DoubleParam(parent, key.name(), key.doc(), new Validator<>(key.name()));
            case FLAG -> new BooleanParam(parent, key.name(), key.doc()); // no flag has a range to check
            case TEXT -> new Param<String>(parent, key.name(), key.doc(), new Validator<String>(key.name()));
        };
    }

    /** HOCON's unwrapped default (an Integer for {@code maxMinutes = 0}) as the param's type. */
    static Object typed(ConfigKey.Kind kind, Object value) {
        return switch (kind) {
            case INTEGER -> ((Number) value).intValue();
            case NUMBER -> ((Number) value).doubleValue();
            case FLAG -> (Boolean) value;
            case TEXT -> value.toString();
        };
    }

    /**
     * Accepts a value that {@link RunConfig} accepts for this key with the others at their defaults; otherwise
     * throws RunConfig's error (which names the key and what is allowed) rather than Spark's bare "invalid value".
     */
    private static final class Validator<T> extends AbstractFunction1<T, Object> implements Serializable {
        private final String key;

        Validator(String key) {
            this.key = key;
        }

        @Override
        public Object apply(T value) {
            try {
                RunConfig.load(Map.of(key, value));
            } catch (ConfigException e) {
                // A check against another key (model.heads must divide model.modelDim) waits until all params
                // are known: the other key may be set next.
                if (e.key().equals(key) && e.relatedKey() == null) {
                    throw e;
                }
            }
            return true;
        }
    }
}
