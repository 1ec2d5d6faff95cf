package dev.fulcrum.model.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {

    @Test
    void normalizeCollapsesWhitespaceTrimsAndComposes() {
        assertEquals("a b c", PreTokenizer.normalize("  a \t\n b\u00A0\u3000 c \r\n"));
        assertEquals("\u00E9t\u00E9", PreTokenizer.normalize("e\u0301te\u0301"));
        assertEquals("", PreTokenizer.normalize(" \t "));
    }

    /** Issue 16, item 6: invisible characters would give the same word other subwords. */
    @Test
    void normalizeRemovesZeroWidthAndBidiControlsButKeepsJoiners() {
        assertEquals("file name", PreTokenizer.normalize("\uFEFFfile\u200B \u202Ename\u202C\u2066\u2069\u200E"));
        assertEquals("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645",
                PreTokenizer.normalize("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645\u200F"), "ZWNJ is Persian spelling");
        assertEquals("\uD83D\uDC69\u200D\uD83D\uDCBB", PreTokenizer.normalize("\uD83D\uDC69\u200D\uD83D\uDCBB"));
    }

    @Test
    void normalizeReplacesLoneSurrogatesButKeepsPairs() {
        assertEquals("a\uFFFDb\uFFFD😀", PreTokenizer.normalize("a\uD800b\uDC00😀"));
    }

    @Test
    void everyWordStartsWithTheMarkerAndPunctuationIsSplitOff() {
        assertEquals(List.of("▁Le", "▁fichier", "▁n", "'", "a", "▁pas", "▁été", "▁enregistré", "."),
                PreTokenizer.preTokens("Le fichier n'a pas  été enregistré."));
        assertEquals(List.of("▁(", "UTC", "+", "1", ")."), PreTokenizer.preTokens("(UTC+1)."));
    }

    @Test
    void digitsStayWithLettersAndCombiningMarksStayWithTheirBase() {
        assertEquals(List.of("▁mp3", "▁x\u20DD"), PreTokenizer.preTokens("mp3 x\u20DD"));
        assertEquals(List.of("▁.\u0301"), PreTokenizer.preTokens(".\u0301"));
    }

    @Test
    void literalMarkerNeverStartsAPreTokenInsideAWord() {
        assertEquals(List.of("▁a▁", ".▁▁"), PreTokenizer.preTokens("a▁.▁▁"));
        assertEquals(List.of("▁▁", "b"), PreTokenizer.preTokens("▁b"));
    }

    @Test
    void countWordsCountsPreTokensOverSentences() {
        Map<String, Long> counts = PreTokenizer.countWords(List.of("the file.", "The file", " "));
        assertEquals(Map.of("▁the", 1L, "▁The", 1L, "▁file", 2L, ".", 1L), counts);
    }
}
