package dev.fulcrum.model.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's notion of whitespace ({@code str.isspace}, {@code str.split()}, {@code str.rstrip()}), which
 * sacreBLEU relies on and which differs from {@link Character#isWhitespace}: Python also counts the
 * no-break spaces U+00A0, U+2007, U+202F and NEL U+0085.
 */
final class PythonWhitespace {

    private static final int NEXT_LINE = 0x85;

    private PythonWhitespace() {
    }

    static boolean isWhitespace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || codePoint == NEXT_LINE;
    }

    /** Like Python's {@code text.split()}: the non-empty runs between whitespace. */
    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        int wordStart = -1;
        for (int index = 0; index < text.length(); index += Character.charCount(text.codePointAt(index))) {
            boolean whitespace = isWhitespace(text.codePointAt(index));
            if (whitespace && wordStart >= 0) {
                words.add(text.substring(wordStart, index));
                wordStart = -1;
            } else if (!whitespace && wordStart < 0) {
                wordStart = index;
            }
        }
        if (wordStart >= 0) {
            words.add(text.substring(wordStart));
        }
        return words;
    }

    /** Like Python's {@code text.rstrip()}. */
    static String stripTrailing(String text) {
        int end = text.length();
        while (end > 0 && isWhitespace(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(0, end);
    }

    /** Like Python's {@code ''.join(text.split())}. */
    static String remove(String text) {
        return String.join("", split(text));
    }
}
