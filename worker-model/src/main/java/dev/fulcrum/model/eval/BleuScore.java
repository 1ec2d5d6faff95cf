package dev.fulcrum.model.eval;

import java.util.List;

/**
 * A corpus BLEU score with the figures sacreBLEU prints beside it.
 *
 * @param score           BLEU on a 0–100 scale
 * @param precisions      the (smoothed) 1- to 4-gram precisions, each on a 0–100 scale
 * @param brevityPenalty  the brevity penalty, in [0, 1]
 * @param systemLength    the number of hypothesis tokens
 * @param referenceLength the number of reference tokens
 */
public record BleuScore(double score, List<Double> precisions, double brevityPenalty, long systemLength,
                        long referenceLength) {

    public BleuScore {
        precisions = List.copyOf(precisions);
    }
}
