package dev.fulcrum.model.decode;

/**
 * A translation found by {@link BeamSearch}.
 *
 * @param tokens         output token ids, without BOS and EOS
 * @param logProbability model log-probability of the tokens, and of the EOS after them if one was generated
 *                       (not when decoding stopped at the length limit)
 * @param score          {@link DecodeOptions#score}: length-normalised log-probability plus coverage penalty
 */
public record Hypothesis(int[] tokens, double logProbability, double score) {
}
