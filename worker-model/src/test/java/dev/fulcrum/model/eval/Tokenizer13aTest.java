package dev.fulcrum.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every expected tokenization is the output of sacreBLEU 2.6.0's Tokenizer13a on the same input. */
class Tokenizer13aTest {

    static Stream<Arguments> punctuation() {
        return Stream.of(
                Arguments.of("Hello, world!", "Hello , world !"),
                // Separators inside numbers stay; the sentence-final period does not.
                Arguments.of("It costs 1,000.5 dollars.", "It costs 1,000.5 dollars ."),
                // A dash splits off only after a digit.
                Arguments.of("The 1990-2000 period - a well-known era.", "The 1990 - 2000 period - a well-known era ."),
                Arguments.of("U.S.A. e.g. 3.14-2", "U . S . A . e . g . 3.14 - 2"),
                Arguments.of(".5 and 5. and a,b and 3,b and a,3", ". 5 and 5 . and a , b and 3 , b and a , 3"),
                Arguments.of("end with number 5.", "end with number 5 ."),
                Arguments.of("..,,--", ". . , , --"),
                // Every ASCII symbol except the apostrophe, period, comma and dash is its own token.
                Arguments.of("x=(a+b)*c/d; y's {z} [w] `q` ~ ^ _ | @ # $ % ?",
                        "x = ( a + b ) * c / d ; y's { z } [ w ] ` q ` ~ ^ _ | @ # $ % ?"));
    }

    static Stream<Arguments> markupAndWhitespace() {
        return Stream.of(
                Arguments.of("&quot;Fish &amp; chips&quot; &lt;b&gt;", "\" Fish & chips \" < b >"),
                Arguments.of("A<skipped>B", "AB"),
                // A hyphen at a line break joins the word; other line breaks become spaces.
                Arguments.of("hyphen-\nated line\nbreak", "hyphenated line break"),
                // Python's str.split() also splits on no-break (U+00A0) and ideographic (U+3000) spaces.
                Arguments.of("  many   spaces\tand\u00a0nbsp\u3000ideographic  ", "many spaces and nbsp ideographic"),
                // Non-ASCII punctuation stays attached; a final period still splits off after an emoji.
                Arguments.of("\u00e9 \u2013 \u201cquoted\u201d \u2026 \ud83d\ude00.",
                        "\u00e9 \u2013 \u201cquoted\u201d \u2026 \ud83d\ude00 ."),
                Arguments.of("", ""));
    }

    @ParameterizedTest
    @MethodSource("punctuation")
    void splitsPunctuationLikeSacreBleu(String line, String expected) {
        assertEquals(expected, Tokenizer13a.tokenize(line));
    }

    @ParameterizedTest
    @MethodSource("markupAndWhitespace")
    void handlesMarkupAndWhitespaceLikeSacreBleu(String line, String expected) {
        assertEquals(expected, Tokenizer13a.tokenize(line));
    }
}
