package dev.fulcrum.model.eval;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Corpus-level BLEU with sacreBLEU's defaults: one reference per hypothesis, the {@link Tokenizer13a}
 * tokenizer, case-sensitive, n-grams up to 4, 'exp' smoothing and no effective order.
 *
 * <p>An instance accumulates the sufficient statistics (lengths, matched and total n-gram counts);
 * instances built on separate shards {@link #merge merge} into the statistics of the whole corpus.
 * Not thread-safe.
 */
public final class CorpusBleu implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final int MAX_ORDER = 4;

    private long systemLength;
    private long referenceLength;
    private final long[] matchingNgrams = new long[MAX_ORDER];
    private final long[] hypothesisNgrams = new long[MAX_ORDER];

    /** BLEU of {@code hypotheses} against the reference on the same line of {@code references}. */
    public static BleuScore score(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(
                    hypotheses.size() + " hypotheses but " + references.size() + " references");
        }
        CorpusBleu bleu = new CorpusBleu();
        for (int line = 0; line < hypotheses.size(); line++) {
            bleu.add(hypotheses.get(line), references.get(line));
        }
        return bleu.result();
    }

    /** Adds one detokenized segment pair; returns this. */
    public CorpusBleu add(String hypothesis, String reference) {
        List<String> hypothesisTokens = tokens(hypothesis);
        List<String> referenceTokens = tokens(reference);
        systemLength += hypothesisTokens.size();
        referenceLength += referenceTokens.size();
        for (int order = 1; order <= MAX_ORDER; order++) {
            Map<String, Long> hypothesisCounts = NgramCounts.ofWords(hypothesisTokens, order);
            hypothesisNgrams[order - 1] += NgramCounts.total(hypothesisCounts);
            matchingNgrams[order - 1] +=
                    NgramCounts.clippedMatches(hypothesisCounts, NgramCounts.ofWords(referenceTokens, order));
        }
        return this;
    }

    /** Adds the statistics of {@code other} to this; returns this. */
    public CorpusBleu merge(CorpusBleu other) {
        systemLength += other.systemLength;
        referenceLength += other.referenceLength;
        for (int order = 0; order < MAX_ORDER; order++) {
            matchingNgrams[order] += other.matchingNgrams[order];
            hypothesisNgrams[order] += other.hypothesisNgrams[order];
        }
        return this;
    }

    /** BLEU of everything added or merged so far. */
    public BleuScore result() {
        // Like sacreBLEU, report all precisions as 0 (not smoothed) when nothing matched at all.
        double[] precisions = noMatchAtAnyOrder() ? new double[MAX_ORDER] : smoothedPrecisions();
        double brevityPenalty = brevityPenalty();
        double score = brevityPenalty * geometricMean(precisions);
        return new BleuScore(score, Arrays.stream(precisions).boxed().toList(), brevityPenalty, systemLength,
                referenceLength);
    }

    private static List<String> tokens(String segment) {
        return PythonWhitespace.split(Tokenizer13a.tokenize(PythonWhitespace.stripTrailing(segment)));
    }

    private double brevityPenalty() {
        if (systemLength >= referenceLength) {
            return 1.0;
        }
        return systemLength > 0 ? Math.exp(1.0 - (double) referenceLength / systemLength) : 0.0;
    }

    private boolean noMatchAtAnyOrder() {
        for (long matches : matchingNgrams) {
            if (matches != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Precisions as percentages. 'exp' smoothing (mteval-v13a's) replaces the k-th zero precision by
     * 100 / (2^k · total); an order with no hypothesis n-grams at all, and every order above it, stays 0.
     */
    private double[] smoothedPrecisions() {
        double[] precisions = new double[MAX_ORDER];
        double smoothingDivisor = 1.0;
        for (int order = 0; order < MAX_ORDER && hypothesisNgrams[order] > 0; order++) {
            if (matchingNgrams[order] == 0) {
                smoothingDivisor *= 2;
                precisions[order] = 100.0 / (smoothingDivisor * hypothesisNgrams[order]);
            } else {
                precisions[order] = 100.0 * matchingNgrams[order] / hypothesisNgrams[order];
            }
        }
        return precisions;
    }

    private static double geometricMean(double[] values) {
        double logSum = 0.0;
        for (double value : values) {
            if (value == 0.0) {
                // sacreBLEU floors log(0) to -9999999999, so the mean underflows to exactly 0.
                return 0.0;
            }
            logSum += Math.log(value);
        }
        return Math.exp(logSum / values.length);
    }
}
