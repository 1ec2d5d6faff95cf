package dev.fulcrum.model.config;

/**
 * The balancing knobs: penalty weights and targets that the tuner moves between training rounds.
 * They enter the graph as one placeholder vector, so a new value needs no rebuild and no restart.
 *
 * @param entropyWeight  λ of the entropy-band penalty
 * @param entropyLow     lower edge of the per-head normalised-entropy band (below: collapse onto a token)
 * @param entropyHigh    upper edge (above: uselessly uniform head)
 * @param coverageWeight λ of the cross-attention source-coverage penalty
 * @param gateWeight     λ of the L0 head-gate penalty (expected fraction of open gates)
 */
public record Knobs(double entropyWeight, double entropyLow, double entropyHigh,
                    double coverageWeight, double gateWeight) implements java.io.Serializable {

    /** Length of {@link #toArray()}; the graph's knob placeholder has this size. */
    public static final int SIZE = 5;
    public static final Knobs NONE = new Knobs(0, 0.0, 1.0, 0, 0);

    public Knobs {
        Check.range("knobs.entropyWeight", entropyWeight, 0, 1e3);
        Check.range("knobs.entropyLow", entropyLow, 0, 1);
        Check.range("knobs.entropyHigh", entropyHigh, entropyLow, 1);
        Check.range("knobs.coverageWeight", coverageWeight, 0, 1e3);
        Check.range("knobs.gateWeight", gateWeight, 0, 1e3);
    }

    public float[] toArray() {
        return new float[] {(float) entropyWeight, (float) entropyLow, (float) entropyHigh,
            (float) coverageWeight, (float) gateWeight};
    }
}
