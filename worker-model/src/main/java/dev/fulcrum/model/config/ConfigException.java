package dev.fulcrum.model.config;

/** A configuration value outside its allowed values; the message names the key, the value and what is allowed. */
public final class ConfigException extends IllegalArgumentException {
    private final String key;

    public ConfigException(String key, Object value, String allowed) {
        super("invalid configuration: " + key + " = " + value + " (allowed: " + allowed + ")");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
