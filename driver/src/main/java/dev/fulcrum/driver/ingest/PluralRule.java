package dev.fulcrum.driver.ingest;

import java.util.List;
import java.util.TreeSet;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A catalog's {@code Plural-Forms} rule: which {@code msgstr[k]} is used for a count n. It decides which
 * translation pairs with the English singular ({@code msgid}, n = 1) and which with the English plural
 * ({@code msgid_plural}): in Arabic the singular is form 1, not 0; in Russian the plural has two forms (2–4 and
 * 5–20). The rule is gettext's C expression in n ({@code ?:}, {@code || && == != < > <= >= + - * / % !},
 * parentheses, integers); a catalog without one, or with one that does not parse, gets gettext's default
 * {@code n != 1}.
 */
final class PluralRule {
    static final PluralRule DEFAULT = new PluralRule(n -> n != 1 ? 1 : 0);
    private static final Pattern PLURAL = Pattern.compile("Plural-Forms:[^\\n]*?plural\\s*=\\s*([^;\\n]+)");
    /** Counts tried to find the forms a plural takes; every gettext rule cycles well within 0–1000. */
    private static final int COUNTS_TRIED = 1000;

    private final LongUnaryOperator formOf;

    private PluralRule(LongUnaryOperator formOf) {
        this.formOf = formOf;
    }

    /** The rule of a catalog header (its {@code msgstr} text), or {@link #DEFAULT}. */
    static PluralRule ofHeader(String header) {
        Matcher matcher = PLURAL.matcher(header);
        if (!matcher.find()) {
            return DEFAULT;
        }
        try {
            return new PluralRule(new Parser(matcher.group(1)).expression());
        } catch (IllegalArgumentException unparseable) {
            return DEFAULT;
        }
    }

    /** The form used for one thing: the translation of {@code msgid}. */
    int singularForm() {
        return form(1);
    }

    /**
     * The forms used for counts other than one that are not the singular's: the translations of
     * {@code msgid_plural}. A language with one form for every count (Japanese) gives that form.
     */
    List<Integer> pluralForms() {
        TreeSet<Integer> forms = new TreeSet<>();
        for (int n = 0; n <= COUNTS_TRIED; n++) {
            if (n != 1 && form(n) != singularForm()) {
                forms.add(form(n));
            }
        }
        return forms.isEmpty() ? List.of(singularForm()) : List.copyOf(forms);
    }

    private int form(long n) {
        long form = formOf.applyAsLong(n);
        return form < 0 || form > Integer.MAX_VALUE ? -1 : (int) form;
    }

    /** Recursive descent over C's precedence levels; each level returns the function of n it denotes. */
    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        LongUnaryOperator expression() {
            LongUnaryOperator result = conditional();
            skipSpaces();
            if (at != text.length()) {
                throw new IllegalArgumentException("unexpected '" + text.substring(at) + "'");
            }
            return result;
        }

        private LongUnaryOperator conditional() {
            LongUnaryOperator condition = binary(0);
            if (!accept("?")) {
                return condition;
            }
            LongUnaryOperator then = conditional();
            expect(":");
            LongUnaryOperator otherwise = conditional();
            return n -> condition.applyAsLong(n) != 0 ? then.applyAsLong(n) : otherwise.applyAsLong(n);
        }

        private static final List<List<String>> LEVELS = List.of(List.of("||"), List.of("&&"), List.of("==", "!="),
                List.of("<=", ">=", "<", ">"), List.of("+", "-"), List.of("*", "/", "%"));

        private LongUnaryOperator binary(int level) {
            if (level == LEVELS.size()) {
                return unary();
            }
            LongUnaryOperator left = binary(level + 1);
            for (String op = operator(level); op != null; op = operator(level)) {
                LongUnaryOperator l = left;
                LongUnaryOperator r = binary(level + 1);
                LongBinaryOperator apply = apply(op);
                left = n -> apply.applyAsLong(l.applyAsLong(n), r.applyAsLong(n));
            }
            return left;
        }

        private String operator(int level) {
            for (String op : LEVELS.get(level)) {
                if (accept(op)) {
                    return op;
                }
            }
            return null;
        }

        private static LongBinaryOperator apply(String op) {
            return switch (op) {
                case "||" -> (a, b) -> a != 0 || b != 0 ? 1 : 0;
                case "&&" -> (a, b) -> a != 0 && b != 0 ? 1 : 0;
                case "==" -> (a, b) -> a == b ? 1 : 0;
                case "!=" -> (a, b) -> a != b ? 1 : 0;
                case "<=" -> (a, b) -> a <= b ? 1 : 0;
                case ">=" -> (a, b) -> a >= b ? 1 : 0;
                case "<" -> (a, b) -> a < b ? 1 : 0;
                case ">" -> (a, b) -> a > b ? 1 : 0;
                case "+" -> Long::sum;
                case "-" -> (a, b) -> a - b;
                case "*" -> (a, b) -> a * b;
                case "/" -> (a, b) -> b == 0 ? -1 : a / b;
                default -> (a, b) -> b == 0 ? -1 : a % b;
            };
        }

        private LongUnaryOperator unary() {
            if (accept("!")) {
                LongUnaryOperator operand = unary();
                return n -> operand.applyAsLong(n) == 0 ? 1 : 0;
            }
            if (accept("(")) {
                LongUnaryOperator inner = conditional();
                expect(")");
                return inner;
            }
            if (accept("n")) {
                return n -> n;
            }
            skipSpaces();
            int start = at;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("expected n, a number or '(' at " + start);
            }
            long value = Long.parseLong(text.substring(start, at));
            return n -> value;
        }

        /** Consumes {@code token} if it comes next; a lone {@code <}/{@code >}/{@code !} is not part of a longer one. */
        private boolean accept(String token) {
            skipSpaces();
            if (!text.startsWith(token, at)) {
                return false;
            }
            boolean longerOperator = token.length() == 1 && "<>!".contains(token) && text.startsWith("=", at + 1);
            if (longerOperator) {
                return false;
            }
            at += token.length();
            return true;
        }

        private void expect(String token) {
            if (!accept(token)) {
                throw new IllegalArgumentException("expected '" + token + "' at " + at);
            }
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
