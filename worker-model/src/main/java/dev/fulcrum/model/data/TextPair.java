package dev.fulcrum.model.data;

import java.io.Serializable;

/** A sentence and its translation, as text (normalised or not, as the holder says). */
public record TextPair(String source, String target) implements Serializable {
}
