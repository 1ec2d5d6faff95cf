package dev.fulcrum.model.config;

/** A configuration value outside its allowed values; the message names the key, the value and what is allowed. */
public final class ConfigException extends IllegalArgumentException {
    private final String key;
    private final String relatedKey;

    public ConfigException(String key, Object value, String allowed) {
        this(key, value, allowed, null);
    }

    /** @param relatedKey the other key the allowed values depend on (null when they depend on none) */
    public ConfigException(String key, Object value, String allowed, String relatedKey) {
        super("invalid configuration: " + key + " = " + value + " (allowed: " + allowed + ")");
        this.key = key;
        this.relatedKey = relatedKey;
    }

    public String key() {
        return key;
    }

    /** The other key whose value the check compared with, or null for a check of this key alone. */
    public String relatedKey() {
        return relatedKey;
    }
}
