package dev.fulcrum.model.eval;

import java.util.regex.Pattern;

/**
 * sacreBLEU's default {@code 13a} tokenizer, the tokenization of WMT's mteval-v13a.pl, so that BLEU
 * computed here is comparable with published sacreBLEU scores.
 */
public final class Tokenizer13a {

    /** ASCII symbols that always stand alone: { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * + : ; < = > ? @ / */
    private static final Pattern SYMBOL = Pattern.compile("[{-~\\[-` -&(-+:-@/]");
    private static final Pattern PERIOD_OR_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([.,])");
    private static final Pattern PERIOD_OR_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([.,])([^0-9])");
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private Tokenizer13a() {
    }

    /** The tokens of {@code line}, joined by single spaces. */
    public static String tokenize(String line) {
        return splitPunctuation(' ' + unescapeEntities(joinLines(line)) + ' ');
    }

    private static String joinLines(String line) {
        return line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
    }

    private static String unescapeEntities(String line) {
        return line.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    }

    /** Numbers such as 1,000.5 keep their separators; the padding spaces let a final period split off. */
    private static String splitPunctuation(String paddedLine) {
        String split = SYMBOL.matcher(paddedLine).replaceAll(" $0 ");
        split = PERIOD_OR_COMMA_AFTER_NON_DIGIT.matcher(split).replaceAll("$1 $2 ");
        split = PERIOD_OR_COMMA_BEFORE_NON_DIGIT.matcher(split).replaceAll(" $1 $2");
        split = DASH_AFTER_DIGIT.matcher(split).replaceAll("$1 $2 ");
        return String.join(" ", PythonWhitespace.split(split));
    }
}
