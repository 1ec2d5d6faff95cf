package dev.fulcrum.model.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Multisets of word or character n-grams of one order, and the clipped overlap BLEU and chrF count. */
final class NgramCounts {

    private NgramCounts() {
    }

    /** Word n-grams keyed by their space-joined tokens: unambiguous because tokens hold no whitespace. */
    static Map<String, Long> ofWords(List<String> tokens, int order) {
        Map<String, Long> counts = new HashMap<>();
        for (int start = 0; start + order <= tokens.size(); start++) {
            counts.merge(String.join(" ", tokens.subList(start, start + order)), 1L, Long::sum);
        }
        return counts;
    }

    /** Character n-grams over code points, as Python slices strings, not over UTF-16 units. */
    static Map<String, Long> ofCharacters(int[] codePoints, int order) {
        Map<String, Long> counts = new HashMap<>();
        for (int start = 0; start + order <= codePoints.length; start++) {
            counts.merge(new String(codePoints, start, order), 1L, Long::sum);
        }
        return counts;
    }

    static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Hypothesis n-grams found in the reference, each counted at most as often as the reference has it. */
    static long clippedMatches(Map<String, Long> hypothesis, Map<String, Long> reference) {
        long matches = 0;
        for (Map.Entry<String, Long> ngram : hypothesis.entrySet()) {
            matches += Math.min(ngram.getValue(), reference.getOrDefault(ngram.getKey(), 0L));
        }
        return matches;
    }
}
