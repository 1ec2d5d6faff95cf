package dev.fulcrum.model.eval;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Corpus-level chrF2 with sacreBLEU's defaults: one reference per hypothesis, character n-grams of
 * orders 1 to 6, no word n-grams, beta 2, whitespace removed, case-sensitive, no epsilon smoothing.
 *
 * <p>An instance accumulates the per-order n-gram counts of every segment; instances built on separate
 * shards {@link #merge merge} into the statistics of the whole corpus. As in sacreBLEU, the corpus
 * score comes from the summed counts, not from averaging segment scores. Not thread-safe.
 */
public final class ChrF implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final int CHAR_ORDER = 6;
    private static final double BETA_SQUARED = 2 * 2;

    private final long[] hypothesisNgrams = new long[CHAR_ORDER];
    private final long[] referenceNgrams = new long[CHAR_ORDER];
    private final long[] matchingNgrams = new long[CHAR_ORDER];

    /** chrF2 of {@code hypotheses} against the reference on the same line of {@code references}. */
    public static double score(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(
                    hypotheses.size() + " hypotheses but " + references.size() + " references");
        }
        ChrF chrF = new ChrF();
        for (int line = 0; line < hypotheses.size(); line++) {
            chrF.add(hypotheses.get(line), references.get(line));
        }
        return chrF.result();
    }

    /** Adds one segment pair; returns this. */
    public ChrF add(String hypothesis, String reference) {
        int[] hypothesisChars = PythonWhitespace.remove(hypothesis).codePoints().toArray();
        int[] referenceChars = PythonWhitespace.remove(reference).codePoints().toArray();
        for (int order = 1; order <= CHAR_ORDER; order++) {
            Map<String, Long> hypothesisCounts = NgramCounts.ofCharacters(hypothesisChars, order);
            Map<String, Long> referenceCounts = NgramCounts.ofCharacters(referenceChars, order);
            // sacreBLEU does not count hypothesis n-grams of an order the reference is too short for.
            if (!referenceCounts.isEmpty()) {
                hypothesisNgrams[order - 1] += NgramCounts.total(hypothesisCounts);
            }
            referenceNgrams[order - 1] += NgramCounts.total(referenceCounts);
            matchingNgrams[order - 1] += NgramCounts.clippedMatches(hypothesisCounts, referenceCounts);
        }
        return this;
    }

    /** Adds the statistics of {@code other} to this; returns this. */
    public ChrF merge(ChrF other) {
        for (int order = 0; order < CHAR_ORDER; order++) {
            hypothesisNgrams[order] += other.hypothesisNgrams[order];
            referenceNgrams[order] += other.referenceNgrams[order];
            matchingNgrams[order] += other.matchingNgrams[order];
        }
        return this;
    }

    /**
     * chrF2 (0–100) of everything added or merged so far: the F-score of precision and recall averaged
     * over the orders that both sides have n-grams of (sacreBLEU's effective order).
     */
    public double result() {
        double precisionSum = 0.0;
        double recallSum = 0.0;
        int effectiveOrder = 0;
        for (int order = 0; order < CHAR_ORDER; order++) {
            if (hypothesisNgrams[order] > 0 && referenceNgrams[order] > 0) {
                precisionSum += (double) matchingNgrams[order] / hypothesisNgrams[order];
                recallSum += (double) matchingNgrams[order] / referenceNgrams[order];
                effectiveOrder++;
            }
        }
        if (effectiveOrder == 0) {
            return 0.0;
        }
        return 100 * fScore(precisionSum / effectiveOrder, recallSum / effectiveOrder);
    }

    private static double fScore(double precision, double recall) {
        if (precision + recall == 0.0) {
            return 0.0;
        }
        return (1 + BETA_SQUARED) * precision * recall / (BETA_SQUARED * precision + recall);
    }
}
