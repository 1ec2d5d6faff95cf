package dev.fulcrum.model.text;

/** One BPE merge: the adjacent symbols {@code left} and {@code right} become the token {@code left + right}. */
public record Merge(String left, String right) implements java.io.Serializable {

    public String result() {
        return left + right;
    }
}
