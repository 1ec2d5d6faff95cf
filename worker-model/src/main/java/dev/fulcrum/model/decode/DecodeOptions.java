package dev.fulcrum.model.decode;

import dev.fulcrum.model.config.Check;

/**
 * How {@link BeamSearch} decodes, and how it scores a hypothesis Y of a source X as in GNMT (Wu et al. 2016):
 * {@code s(Y, X) = log P(Y|X) / lp(Y) + cp(X; Y)}.
 *
 * @param beamSize        hypotheses kept per sentence; 1 is greedy decoding
 * @param lengthPenalty   α of {@code lp(Y) = ((5 + |Y|) / 6)^α}; 0 ranks by total log-probability, larger
 *                        values favour longer outputs
 * @param coveragePenalty β of {@code cp(X; Y) = β · Σ_j log(min(Σ_i a_ij, 1))} over the source tokens j, where
 *                        a_ij is the last decoder layer's cross-attention (mean over heads) when predicting
 *                        output token i; 0 turns it off
 * @param maxLengthRatio  a of the output-length limit {@code a · sourceLength + b}
 * @param maxLengthOffset b of the output-length limit
 */
public record DecodeOptions(int beamSize, double lengthPenalty, double coveragePenalty, double maxLengthRatio,
                            int maxLengthOffset) implements java.io.Serializable {
    public static final double DEFAULT_LENGTH_PENALTY = 0.6;
    public static final double DEFAULT_MAX_LENGTH_RATIO = 2.0;
    public static final int DEFAULT_MAX_LENGTH_OFFSET = 10;

    /** Coverage below this counts as this: a source token never attended must not make every score −∞. */
    static final double MIN_COVERAGE = 1e-6;

    public DecodeOptions {
        Check.intRange("decode.beam", beamSize, 1, 64);
        Check.range("decode.lengthPenalty", lengthPenalty, 0, 5);
        Check.range("decode.coveragePenalty", coveragePenalty, 0, 10);
        Check.range("decode.maxLengthRatio", maxLengthRatio, 0, 16);
        Check.intRange("decode.maxLengthOffset", maxLengthOffset, 1, 4096);
    }

    /** Beam search of the given size with the default penalties and length limit. */
    public static DecodeOptions beam(int beamSize) {
        return new DecodeOptions(beamSize, DEFAULT_LENGTH_PENALTY, 0, DEFAULT_MAX_LENGTH_RATIO,
                DEFAULT_MAX_LENGTH_OFFSET);
    }

    public static DecodeOptions greedy() {
        return beam(1);
    }

    /**
     * Most tokens (EOS included) to generate for a source of {@code sourceLength} tokens (EOS excluded): the
     * model cannot go beyond its own maximum length.
     */
    public int maxOutputLength(int sourceLength, int modelMaxLength) {
        return (int) Math.min(Math.floor(maxLengthRatio * sourceLength) + maxLengthOffset, modelMaxLength);
    }

    /** {@code lp(Y)} for a hypothesis of {@code length} tokens (EOS included once generated). */
    public double lengthNormalizer(int length) {
        return Math.pow((5.0 + length) / 6.0, lengthPenalty);
    }

    /** {@code cp(X; Y)} given the attention each source token has received so far, summed over output tokens. */
    public double coverageScore(double[] coverage) {
        if (coveragePenalty == 0) {
            return 0;
        }
        double sum = 0;
        for (double received : coverage) {
            sum += Math.log(Math.max(Math.min(received, 1.0), MIN_COVERAGE));
        }
        return coveragePenalty * sum;
    }

    /** {@code s(Y, X)}, the score hypotheses are compared by once finished. */
    public double score(double logProbability, int length, double[] coverage) {
        return logProbability / lengthNormalizer(length) + coverageScore(coverage);
    }
}
