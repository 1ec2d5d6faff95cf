package dev.fulcrum.model.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongConsumer;

/**
 * Learns byte-pair-encoding merges from word counts (pre-token to count, see {@link PreTokenizer#countWords}),
 * so that the counting can happen elsewhere, e.g. distributed.
 *
 * <p>The vocabulary gets the word-start marker, then the characters seen at least {@code minCharCount} times
 * (most frequent first; rarer ones are left to byte fallback), then one token per merge. The standard
 * incremental algorithm keeps pair counts and, per pair, the words containing it, and after each merge
 * updates only those words. The most frequent pair is merged first, ties going to the lexicographically
 * smallest (left, right), so the result does not depend on the iteration order of the input map.
 */
public final class BpeLearner {

    /** Characters seen fewer times than this over the corpus get no token of their own and fall back to bytes. */
    public static final int DEFAULT_MIN_CHAR_COUNT = 2;

    private final List<String> learnedTokens = new ArrayList<>();
    private final Map<String, Integer> learnedIds = new HashMap<>();
    private final List<Merge> merges = new ArrayList<>();
    private final int[][] words;
    private final long[] wordCounts;
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, IntList> wordsWithPair = new HashMap<>();
    private final PriorityQueue<PairCount> candidates = new PriorityQueue<>(
            Comparator.comparingLong(PairCount::count).reversed().thenComparing(this::compareTokens));
    private final int[] lastVisit;
    private int visit;

    private record PairCount(long pair, long count) {
    }

    /** {@link #learn(Map, int, int, int)} with {@link #DEFAULT_MIN_CHAR_COUNT}. */
    public static BpeModel learn(Map<String, Long> wordCounts, int vocabSize, int minPairCount) {
        return learn(wordCounts, vocabSize, minPairCount, DEFAULT_MIN_CHAR_COUNT);
    }

    /**
     * @param wordCounts   pre-tokens (non-empty, without spaces, word starts marked) to their corpus counts
     * @param vocabSize    total vocabulary size to reach: specials, bytes, characters and merged tokens
     * @param minPairCount stop early once the most frequent pair occurs fewer times than this
     * @param minCharCount characters seen fewer times than this get no token of their own
     */
    public static BpeModel learn(Map<String, Long> wordCounts, int vocabSize, int minPairCount, int minCharCount) {
        requireValid(wordCounts, vocabSize, minPairCount, minCharCount);
        return new BpeLearner(wordCounts, vocabSize, minCharCount).mergeUntil(vocabSize, minPairCount);
    }

    private BpeLearner(Map<String, Long> counts, int vocabSize, int minCharCount) {
        addToken(Symbols.MARKER);
        addCharacters(counts, vocabSize, minCharCount);
        words = new int[counts.size()][];
        wordCounts = new long[counts.size()];
        lastVisit = new int[counts.size()];
        int word = 0;
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            words[word] = Symbols.initial(entry.getKey(), character -> learnedIds.getOrDefault(character, Vocabulary.UNK));
            wordCounts[word] = entry.getValue();
            word++;
        }
        countInitialPairs();
    }

    private void addCharacters(Map<String, Long> counts, int vocabSize, int minCharCount) {
        Map<Integer, Long> characterCounts = new HashMap<>();
        counts.forEach((word, count) -> word.codePoints()
                .filter(codePoint -> codePoint != PreTokenizer.WORD_START
                        && Character.getType(codePoint) != Character.SURROGATE)
                .forEach(codePoint -> characterCounts.merge(codePoint, count, Long::sum)));
        characterCounts.entrySet().stream()
                .filter(entry -> entry.getValue() >= minCharCount)
                .sorted(Map.Entry.<Integer, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(Math.max(0, vocabSize - vocabularySize()))
                .forEach(entry -> addToken(Character.toString(entry.getKey())));
    }

    private void countInitialPairs() {
        for (int word = 0; word < words.length; word++) {
            long count = wordCounts[word];
            int finalWord = word;
            forEachPair(words[word], pair -> {
                pairCounts.merge(pair, count, Long::sum);
                wordsWithPair.computeIfAbsent(pair, p -> new IntList()).add(finalWord);
            });
        }
        pairCounts.forEach((pair, count) -> candidates.add(new PairCount(pair, count)));
    }

    private BpeModel mergeUntil(int vocabSize, int minPairCount) {
        while (vocabularySize() < vocabSize) {
            PairCount best = pollBestPair();
            if (best == null || best.count() < minPairCount) {
                break;
            }
            merge(best.pair());
        }
        return new BpeModel(Vocabulary.withLearnedTokens(learnedTokens), merges);
    }

    /** The most frequent pair; queue entries whose count has changed since are stale and dropped. */
    private PairCount pollBestPair() {
        for (PairCount candidate = candidates.poll(); candidate != null; candidate = candidates.poll()) {
            boolean current = pairCounts.getOrDefault(candidate.pair(), 0L) == candidate.count();
            if (current && !Vocabulary.isReservedToken(mergedToken(candidate.pair()))) {
                return candidate;
            }
        }
        return null;
    }

    private void merge(long pair) {
        int left = Symbols.left(pair);
        int right = Symbols.right(pair);
        String merged = mergedToken(pair);
        // Different merges can spell the same token ("a"+"bc", "ab"+"c"): they share one id.
        int result = learnedIds.containsKey(merged) ? learnedIds.get(merged) : addToken(merged);
        merges.add(new Merge(token(left), token(right)));
        Map<Long, Long> countChanges = new HashMap<>();
        IntList affectedWords = wordsWithPair.remove(pair);
        visit++;
        for (int i = 0; i < affectedWords.size(); i++) {
            int word = affectedWords.get(i);
            if (lastVisit[word] != visit) {
                lastVisit[word] = visit;
                mergeInWord(word, left, right, result, countChanges);
            }
        }
        countChanges.forEach(this::applyCountChange);
    }

    private void mergeInWord(int word, int left, int right, int result, Map<Long, Long> countChanges) {
        int[] before = words[word];
        int[] after = Symbols.replacePair(before, left, right, result);
        if (after.length == before.length) {
            return; // an earlier merge already took the pair apart in this word
        }
        long count = wordCounts[word];
        forEachPair(before, pair -> countChanges.merge(pair, -count, Long::sum));
        forEachPair(after, pair -> {
            countChanges.merge(pair, count, Long::sum);
            if (Symbols.left(pair) == result || Symbols.right(pair) == result) {
                wordsWithPair.computeIfAbsent(pair, p -> new IntList()).add(word);
            }
        });
        words[word] = after;
    }

    private void applyCountChange(long pair, long change) {
        if (change == 0) {
            return;
        }
        Long updated = pairCounts.merge(pair, change, (count, delta) -> count + delta == 0 ? null : count + delta);
        if (updated == null) {
            wordsWithPair.remove(pair);
        } else {
            candidates.add(new PairCount(pair, updated));
        }
    }

    private static void forEachPair(int[] symbols, LongConsumer action) {
        for (int i = 0; i + 1 < symbols.length; i++) {
            if (Symbols.isMergeable(symbols[i]) && Symbols.isMergeable(symbols[i + 1])) {
                action.accept(Symbols.pair(symbols[i], symbols[i + 1]));
            }
        }
    }

    private int compareTokens(PairCount a, PairCount b) {
        int byLeft = token(Symbols.left(a.pair())).compareTo(token(Symbols.left(b.pair())));
        return byLeft != 0 ? byLeft : token(Symbols.right(a.pair())).compareTo(token(Symbols.right(b.pair())));
    }

    private String mergedToken(long pair) {
        return token(Symbols.left(pair)) + token(Symbols.right(pair));
    }

    private String token(int learnedId) {
        return learnedTokens.get(learnedId - Vocabulary.FIRST_LEARNED_ID);
    }

    private int addToken(String token) {
        int id = vocabularySize();
        learnedTokens.add(token);
        learnedIds.put(token, id);
        return id;
    }

    private int vocabularySize() {
        return Vocabulary.FIRST_LEARNED_ID + learnedTokens.size();
    }

    private static void requireValid(Map<String, Long> wordCounts, int vocabSize, int minPairCount, int minCharCount) {
        if (vocabSize <= Vocabulary.FIRST_LEARNED_ID) {
            throw new IllegalArgumentException("vocabSize " + vocabSize + " must exceed the "
                    + Vocabulary.FIRST_LEARNED_ID + " special and byte tokens");
        }
        if (minPairCount < 1 || minCharCount < 1) {
            throw new IllegalArgumentException("minPairCount and minCharCount must be at least 1");
        }
        wordCounts.forEach((word, count) -> {
            if (word == null || word.isEmpty() || word.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("words must be non-empty and without spaces: '" + word + "'");
            }
            if (count == null || count < 1) {
                throw new IllegalArgumentException("count of '" + word + "' must be positive: " + count);
            }
        });
    }
}
