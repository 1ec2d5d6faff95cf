package dev.fulcrum.model.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Text normalisation and the split of a sentence into pre-tokens, the units BPE merges never cross.
 *
 * <p>SentencePiece style: the sentence is split on spaces and each word gets the marker {@link #WORD_START}
 * in front, so that detokenisation is concatenation plus "marker becomes space". A word is further split
 * into alternating runs of word characters (letters, digits) and other characters (punctuation, symbols), so
 * that {@code "l'homme,"} and {@code "homme"} share the subword {@code homme} instead of BPE spending merges on
 * every punctuation variant. Only the first run of a word carries the marker, so the split is lossless.
 *
 * <p>Invariant relied on by {@link Symbols}: a pre-token starts with {@link #WORD_START} exactly when
 * it begins a word, and then that first code point is the marker; any other {@code U+2581} is literal text.
 * To keep it, a literal {@code U+2581} never starts a run (nor does a combining mark, to keep it with its base).
 */
public final class PreTokenizer {

    /** U+2581 LOWER ONE EIGHTH BLOCK, SentencePiece's word-start marker. */
    public static final char WORD_START = '\u2581';

    private PreTokenizer() {
    }

    /**
     * Unicode NFC, unpaired surrogates replaced by U+FFFD (they are not text and have no UTF-8 form), invisible
     * formatting removed ({@link #isInvisibleFormatting}), every run of white space (Java white space or a Unicode
     * space separator: tabs, newlines, no-break spaces...) collapsed to one space, and no leading or trailing
     * space. Idempotent; {@code decode(encode(s))} equals {@code normalize(s)}.
     */
    public static String normalize(String text) {
        return collapseWhitespace(Normalizer.normalize(withoutInvisibleFormatting(withoutLoneSurrogates(text)),
                Normalizer.Form.NFC));
    }

    /**
     * Zero-width spaces, the byte-order mark and bidirectional controls: invisible, they split or join words
     * where the eye sees none, so the same word would get other subwords (and a model would learn to emit
     * them). ZWJ and ZWNJ (U+200D, U+200C) stay: they change how Persian, Indic scripts and emoji read.
     */
    static boolean isInvisibleFormatting(int c) {
        return c == 0x200B || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || c == 0x2060
                || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF || c == 0x061C;
    }

    private static String withoutInvisibleFormatting(String text) {
        if (text.chars().noneMatch(PreTokenizer::isInvisibleFormatting)) {
            return text;
        }
        StringBuilder visible = new StringBuilder(text.length());
        text.codePoints().filter(c -> !isInvisibleFormatting(c)).forEach(visible::appendCodePoint);
        return visible.toString();
    }

    /**
     * The pre-tokens of one sentence, in order; normalises first, so raw or normalised text both work.
     * This is what the distributed word count maps every sentence to.
     */
    public static List<String> preTokens(String sentence) {
        String text = normalize(sentence);
        List<String> preTokens = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String word : text.split(" ")) {
                splitWord(word, preTokens);
            }
        }
        return preTokens;
    }

    /** Pre-token counts over {@code sentences}: the input of {@link BpeLearner} for a single JVM. */
    public static Map<String, Long> countWords(Iterable<String> sentences) {
        Map<String, Long> counts = new HashMap<>();
        for (String sentence : sentences) {
            for (String preToken : preTokens(sentence)) {
                counts.merge(preToken, 1L, Long::sum);
            }
        }
        return counts;
    }

    private static String collapseWhitespace(String text) {
        StringBuilder collapsed = new StringBuilder(text.length());
        boolean spacePending = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                spacePending = collapsed.length() > 0;
            } else {
                if (spacePending) {
                    collapsed.append(' ');
                    spacePending = false;
                }
                collapsed.append(c);
            }
        }
        return collapsed.toString();
    }

    private static String withoutLoneSurrogates(String text) {
        if (text.chars().noneMatch(c -> Character.isSurrogate((char) c))) {
            return text;
        }
        StringBuilder wellFormed = new StringBuilder(text.length());
        text.codePoints().forEach(codePoint ->
                wellFormed.appendCodePoint(Character.getType(codePoint) == Character.SURROGATE ? 0xFFFD : codePoint));
        return wellFormed.toString();
    }

    private static void splitWord(String word, List<String> preTokens) {
        int runStart = 0;
        boolean inWordCharRun = isWordChar(word.codePointAt(0));
        for (int i = Character.charCount(word.codePointAt(0)); i < word.length(); ) {
            int codePoint = word.codePointAt(i);
            if (!continuesAnyRun(codePoint) && isWordChar(codePoint) != inWordCharRun) {
                preTokens.add(run(word, runStart, i));
                runStart = i;
                inWordCharRun = !inWordCharRun;
            }
            i += Character.charCount(codePoint);
        }
        preTokens.add(run(word, runStart, word.length()));
    }

    private static String run(String word, int start, int end) {
        String run = word.substring(start, end);
        return start == 0 ? WORD_START + run : run;
    }

    private static boolean isWordChar(int codePoint) {
        return Character.isLetterOrDigit(codePoint) || isCombiningMark(codePoint);
    }

    private static boolean continuesAnyRun(int codePoint) {
        return codePoint == WORD_START || isCombiningMark(codePoint);
    }

    private static boolean isCombiningMark(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
