package dev.fulcrum.driver.round;

import java.util.List;
import java.util.Map;

import dev.fulcrum.model.config.Knobs;

/**
 * Everything known after an averaging round: what listeners (progress, metrics, checkpoints) and the
 * tuner see.
 *
 * @param trainLoss       mean training loss (smoothed CE + penalties) over all replicas' steps of the round
 * @param tokens          real source + target tokens trained on in the round, all replicas
 * @param roundSeconds    wall-clock seconds of the round (broadcast, training, aggregation)
 * @param overheadSeconds the part of the round not spent training on the slowest replica
 * @param validNll        validation NLL per target token
 * @param bleu            validation BLEU of the decoded sample, NaN when none was decoded
 * @param translations    the decoded sample (the first {@code eval.bleuSentences} validation sources)
 * @param attention       per-head attention statistics over the validation set, "layer.statistic" → heads
 * @param knobs           the knobs this round trained with
 * @param bestValidNllBefore lowest validNll of the earlier rounds (of the run this one resumes too),
 *                        +∞ before the first
 */
public record RoundReport(int round, int rounds, long step, double trainLoss, long tokens, double roundSeconds,
                          double overheadSeconds, double validNll, double bleu, double chrf,
                          List<String> translations, Map<String, double[]> attention, Knobs knobs,
                          List<ReplicaReport> replicas, double elapsedSeconds, double bestValidNllBefore) {

    /** Steps of the round skipped for a non-finite loss or gradient, all replicas. */
    public int skippedSteps() {
        return replicas.stream().mapToInt(ReplicaReport::skippedSteps).sum();
    }

    /** Replicas left out of the round's average because their state was not finite. */
    public long excludedReplicas() {
        return replicas.stream().filter(ReplicaReport::excluded).count();
    }

    public double tokensPerSecond() {
        return tokens / Math.max(1e-9, roundSeconds);
    }

    /** Passes over the training data so far: steps over steps per pass, mean over the replicas. */
    public double epochs() {
        double perEpoch = replicas.stream().mapToDouble(ReplicaReport::stepsPerEpoch).average().orElse(1);
        return step / Math.max(1e-9, perEpoch);
    }

    /** Lowest validNll so far, this round's included (a non-finite loss does not count). */
    public double bestValidNll() {
        return Double.isFinite(validNll) ? Math.min(bestValidNllBefore, validNll) : bestValidNllBefore;
    }

    public double validPerplexity() {
        return Math.exp(validNll);
    }
}
