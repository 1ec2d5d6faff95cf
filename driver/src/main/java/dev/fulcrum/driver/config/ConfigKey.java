package dev.fulcrum.driver.config;

/**
 * One configuration key as {@link RunConfig} reads it: what other front ends (the Spark ML params of
 * {@code dev.fulcrum.ml}) derive their names, types, defaults and help from, instead of keeping a copy.
 *
 * @param name         the dotted key, e.g. {@code train.rounds}
 * @param kind         the type it is read as
 * @param defaultValue the default of {@code fulcrum-defaults.conf}, as HOCON unwraps it
 * @param doc          the comment above it in {@code fulcrum-defaults.conf}
 */
public record ConfigKey(String name, Kind kind, Object defaultValue, String doc) {

    public enum Kind {
        INTEGER("an integer"), NUMBER("a number"), FLAG("true or false"), TEXT("a string");

        private final String expected;

        Kind(String expected) {
            this.expected = expected;
        }

        /** How an error message names the values of this kind. */
        public String expected() {
            return expected;
        }
    }
}
