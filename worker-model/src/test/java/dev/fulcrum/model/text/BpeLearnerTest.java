package dev.fulcrum.model.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BpeLearnerTest {

    private static final Map<String, Long> WORD_COUNTS = PreTokenizer.countWords(TestCorpora.repeatedSentences(5));

    @Test
    void learningIsDeterministicWhateverTheMapOrder() {
        Map<String, Long> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.putAll(WORD_COUNTS);
        assertEquals(BpeLearner.learn(WORD_COUNTS, 600, 2), BpeLearner.learn(reversed, 600, 2));
    }

    @Test
    void mostFrequentPairIsMergedFirstTiesByLexicographicOrder() {
        Map<String, Long> counts = Map.of("▁ab", 5L, "▁cd", 5L, "▁xy", 9L);
        BpeModel model = BpeLearner.learn(counts, 1000, 1, 1);
        // The marker U+2581 sorts after the letters.
        assertEquals(List.of(new Merge("x", "y"), new Merge("▁", "xy"), new Merge("a", "b"),
                new Merge("c", "d"), new Merge("▁", "ab"), new Merge("▁", "cd")), model.merges());
    }

    @Test
    void stopsAtTheRequestedVocabularySize() {
        BpeModel model = BpeLearner.learn(WORD_COUNTS, 400, 1);
        assertEquals(400, model.vocabulary().size());
    }

    @Test
    void stopsWhenTheBestPairIsRarerThanMinPairCount() {
        BpeModel model = BpeLearner.learn(Map.of("▁abc", 3L, "▁de", 1L), 1000, 2);
        assertEquals(List.of(new Merge("a", "b"), new Merge("ab", "c"), new Merge("▁", "abc")), model.merges());
    }

    @Test
    void rareCharactersGetNoTokenOfTheirOwn() {
        BpeModel model = BpeLearner.learn(Map.of("▁aé", 5L, "▁b漢", 1L, "▁b", 1L), 1000, 2);
        Vocabulary vocabulary = model.vocabulary();
        assertTrue(vocabulary.contains("é"));
        assertTrue(vocabulary.contains("b"), "counted over all words");
        assertFalse(vocabulary.contains("漢"));
    }

    @Test
    void surrogatePairsAreOneSymbol() {
        BpeModel model = BpeLearner.learn(Map.of("▁😀😀", 4L), 1000, 2);
        assertTrue(model.vocabulary().contains("😀"));
        assertEquals(List.of(new Merge("▁", "😀"), new Merge("▁😀", "😀")), model.merges());
    }

    @Test
    void mergesCompressWords() {
        BpeTokenizer tokenizer = new BpeTokenizer(BpeLearner.learn(WORD_COUNTS, 700, 2));
        long characters = 0;
        long tokens = 0;
        for (String sentence : TestCorpora.SENTENCES) {
            for (String word : PreTokenizer.preTokens(sentence)) {
                characters += word.codePointCount(0, word.length());
                tokens += tokenizer.encode(word.substring(1)).length;
            }
        }
        assertTrue(tokens * 2 < characters, tokens + " tokens for " + characters + " characters");
    }

    @Test
    void learns8000MergesOn40000WordsQuickly() {
        Map<String, Long> counts = TestCorpora.syntheticWordCounts(40_000, 7);
        long start = System.nanoTime();
        BpeModel model = BpeLearner.learn(counts, 9_000, 2);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("BPE: %d merges on %d words in %.2f s%n", model.merges().size(), counts.size(), seconds);
        assertTrue(model.merges().size() >= 8_000, "only " + model.merges().size() + " merges");
        assertTrue(seconds < 10, "took " + seconds + " s");
    }

    @Test
    void rejectsWordsWithSpacesAndTooSmallVocabularies() {
        assertThrows(IllegalArgumentException.class, () -> BpeLearner.learn(Map.of("▁a b", 2L), 1000, 2));
        assertThrows(IllegalArgumentException.class, () -> BpeLearner.learn(WORD_COUNTS, 260, 2));
    }
}
