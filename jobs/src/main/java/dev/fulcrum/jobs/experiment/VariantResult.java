package dev.fulcrum.jobs.experiment;

/**
 * One row of an experiment's table: how a variant's exported model scores, how many heads it computes, how fast
 * it translates, and what its training cost.
 *
 * @param bleu               BLEU (13a) of the decoded validation sentences
 * @param chrf               chrF2 of the same translations
 * @param validNll           validation loss (NLL per target token) over all validation pairs, after the last round
 * @param perplexity         exp(validNll)
 * @param activeHeads        attention heads the exported model computes (a gated model's pruned ones excluded)
 * @param totalHeads         attention heads of the architecture, over all its attention layers
 * @param sentencesPerSecond beam-decoded validation sentences per second (one JVM, the driver's native threads)
 * @param decodedSentences   validation sentences decoded for BLEU, chrF and speed
 * @param trainingTokens     real source + target tokens trained on, all rounds and replicas
 * @param trainingSeconds    wall-clock seconds of the rounds (broadcast, training, averaging; validation excluded)
 * @param steps              optimisation steps of every replica
 * @param decodeFailure      why the final model could not translate the sample ("" when it could); BLEU, chrF
 *                           and speed are then NaN
 */
public record VariantResult(String name, double bleu, double chrf, double validNll, double perplexity,
                            int activeHeads, int totalHeads, double sentencesPerSecond, int decodedSentences,
                            long trainingTokens, double trainingSeconds, long steps,
                            String decodeFailure) {
}
