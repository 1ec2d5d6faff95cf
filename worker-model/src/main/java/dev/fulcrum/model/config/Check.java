package dev.fulcrum.model.config;

import java.util.Arrays;

/** Validation helpers whose messages always name the key and the allowed values. */
public final class Check {
    private Check() {
    }

    public static int intRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(key, value, "an integer in [" + min + ", " + max + "]");
        }
        return value;
    }

    public static double range(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new ConfigException(key, value, "a number in [" + min + ", " + max + "]");
        }
        return value;
    }

    public static String oneOf(String key, String value, String... allowed) {
        if (value == null || !Arrays.asList(allowed).contains(value)) {
            throw new ConfigException(key, value, "one of " + String.join(", ", allowed));
        }
        return value;
    }

    /** A check of {@code key} against the value of {@code relatedKey}. */
    public static void related(boolean condition, String key, Object value, String allowed, String relatedKey) {
        if (!condition) {
            throw new ConfigException(key, value, allowed, relatedKey);
        }
    }

    public static void that(boolean condition, String key, Object value, String allowed) {
        if (!condition) {
            throw new ConfigException(key, value, allowed);
        }
    }
}
