package dev.fulcrum.model.config;

/**
 * The balancing knobs: penalty weights and targets that the tuner moves between training rounds.
 * They enter the graph as one placeholder vector, so a new value needs no rebuild and no restart.
 *
 * @param entropyWeight     λ of the entropy-band penalty
 * @param entropyLow        lower edge of the per-head normalised-entropy band (below: collapse onto a token)
 * @param entropyHigh       upper edge (above: uselessly uniform head)
 * @param coverageWeight    λ of the cross-attention source-coverage penalty
 * @param gateWeight        λ of the L0 head-gate penalty (expected fraction of open gates)
 * @param decoderGateScale  how many times an encoder head's L0 penalty a decoder head's is. Beam search runs
 *                          every decoder head once per output token and hypothesis, an encoder head once per
 *                          sentence: above 1 the gates of a head budget close where decoding spends its time
 */
public record Knobs(double entropyWeight, double entropyLow, double entropyHigh,
                    double coverageWeight, double gateWeight, double decoderGateScale)
        implements java.io.Serializable {

    /** Length of {@link #toArray()}; the graph's knob placeholder has this size. */
    public static final int SIZE = Knob.values().length;
    /** {@link #decoderGateScale} of knobs that do not set it, and of every run before it existed. */
    public static final double EVEN_GATE_SCALE = 1.0;
    public static final Knobs NONE = new Knobs(0, 0.0, 1.0, 0, 0);

    public Knobs {
        Check.range("knobs.entropyWeight", entropyWeight, 0, 1e3);
        Check.range("knobs.entropyLow", entropyLow, 0, 1);
        Check.range("knobs.entropyHigh", entropyHigh, 0, 1);
        Check.related(entropyHigh >= entropyLow, "knobs.entropyHigh", entropyHigh,
                "a number in [knobs.entropyLow = " + entropyLow + ", 1]", "knobs.entropyLow");
        Check.range("knobs.coverageWeight", coverageWeight, 0, 1e3);
        Check.range("knobs.gateWeight", gateWeight, 0, 1e3);
        Check.range("knobs.decoderGateScale", decoderGateScale, 0, 1e3);
    }

    /** Knobs that penalise encoder and decoder gates alike. */
    public Knobs(double entropyWeight, double entropyLow, double entropyHigh, double coverageWeight,
                 double gateWeight) {
        this(entropyWeight, entropyLow, entropyHigh, coverageWeight, gateWeight, EVEN_GATE_SCALE);
    }

    public Knobs withEntropyWeight(double weight) {
        return new Knobs(weight, entropyLow, entropyHigh, coverageWeight, gateWeight, decoderGateScale);
    }

    public Knobs withCoverageWeight(double weight) {
        return new Knobs(entropyWeight, entropyLow, entropyHigh, weight, gateWeight, decoderGateScale);
    }

    public Knobs withGateWeight(double weight) {
        return new Knobs(entropyWeight, entropyLow, entropyHigh, coverageWeight, weight, decoderGateScale);
    }

    /** The graph's knob vector, in {@link Knob} order. */
    public float[] toArray() {
        float[] vector = new float[SIZE];
        for (Knob knob : Knob.values()) {
            vector[knob.index()] = (float) knob.valueIn(this);
        }
        return vector;
    }
}
