package dev.fulcrum.driver.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pairs of a gettext {@code .po} file: {@code msgctxt}, {@code msgid}, {@code msgid_plural},
 * {@code msgstr} and {@code msgstr[N]} with continuation strings and C escapes. The header (empty msgid) and
 * obsolete {@code #~} entries are skipped; {@code #, fuzzy} entries are flagged {@link DropReason#FUZZY}.
 *
 * <p>Lines are decoded one by one in the declared charset (gettext only allows ASCII-compatible ones, so a
 * 0x0A byte always ends a line): a line with bad bytes marks its entry {@link DropReason#INVALID_UTF8}
 * without losing the entries around it.
 */
final class PoParser {
    private final List<RawPair> pairs = new ArrayList<>();
    private final Charset charset;
    /** The header's rule; gettext puts the header first, so it applies to every entry. */
    private PluralRule pluralRule = PluralRule.DEFAULT;
    private Entry entry = new Entry();

    private PoParser(Charset charset) {
        this.charset = charset;
    }

    static List<RawPair> parse(byte[] bytes) {
        PoParser parser = new PoParser(Catalogs.declaredCharset(new String(bytes, StandardCharsets.ISO_8859_1)));
        int start = hasUtf8Bom(bytes) ? 3 : 0;
        for (int i = start; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                parser.line(bytes, start, end - start);
                start = i + 1;
            }
        }
        parser.finishEntry();
        return parser.pairs;
    }

    private void line(byte[] bytes, int offset, int length) {
        String strict = StrictDecoder.decode(bytes, offset, length, charset);
        String text = (strict != null ? strict : new String(bytes, offset, length, charset)).strip();
        if (text.startsWith("#~")) {
            finishEntry(); // also forgets flags that preceded the obsolete entry
        } else if (text.isEmpty() || text.startsWith("#")) {
            if (entry.msgid != null) {
                finishEntry();
            }
            entry.fuzzy |= text.startsWith("#,") && text.contains("fuzzy");
        } else {
            keywordLine(text);
            entry.invalid |= strict == null;
        }
    }

    private void keywordLine(String text) {
        int quote = text.indexOf('"');
        if (quote < 0) {
            entry.field = null; // not gettext syntax: nothing may continue it
            return;
        }
        String keyword = text.substring(0, quote).strip();
        if ((keyword.equals("msgctxt") || keyword.equals("msgid")) && entry.msgid != null) {
            finishEntry();
        }
        entry.field = keyword.isEmpty() ? entry.field : entry.fieldFor(keyword);
        if (entry.field != null) {
            appendString(text.substring(quote), entry.field);
        }
    }

    private void finishEntry() {
        boolean header = entry.msgid != null && entry.msgid.isEmpty() && !entry.hasContext;
        if (header && entry.msgstr.containsKey(0)) {
            pluralRule = PluralRule.ofHeader(entry.msgstr.get(0).toString());
        }
        if (entry.msgid != null && !header) {
            List<String> forms = new ArrayList<>();
            for (int n = 0; entry.msgstr.containsKey(n); n++) {
                forms.add(entry.msgstr.get(n).toString());
            }
            DropReason reason = entry.invalid ? DropReason.INVALID_UTF8 : entry.fuzzy ? DropReason.FUZZY : null;
            String plural = entry.msgidPlural == null ? null : entry.msgidPlural.toString();
            Catalogs.addPairs(entry.msgid.toString(), plural, forms, pluralRule, reason, pairs);
        }
        entry = new Entry();
    }

    private static boolean hasUtf8Bom(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
    }

    /**
     * Appends the content of a C string literal {@code "..."}, escapes resolved. Octal ({@code \\303}) and hex
     * ({@code \\xC3}) escapes are bytes in the catalog's charset: a run of them is decoded together, and bytes
     * that do not decode mark the entry {@link DropReason#INVALID_UTF8}.
     */
    private void appendString(String literal, StringBuilder out) {
        int end = literal.lastIndexOf('"');
        ByteArrayOutputStream escapedBytes = new ByteArrayOutputStream();
        int i = 1;
        while (i < end) {
            char c = literal.charAt(i);
            int byteEscapeEnd = c == '\\' && i + 1 < end ? byteEscapeEnd(literal, i + 1, end) : i;
            if (byteEscapeEnd > i + 1) {
                escapedBytes.write(byteValue(literal, i + 1, byteEscapeEnd));
                i = byteEscapeEnd;
                continue;
            }
            appendBytes(escapedBytes, out);
            boolean escape = c == '\\' && i + 1 < end;
            out.append(escape ? unescape(literal.charAt(i + 1)) : c);
            i += escape ? 2 : 1;
        }
        appendBytes(escapedBytes, out);
    }

    /** End of the octal (1–3 digits) or hex ({@code x} and 1–2 digits) escape at {@code from}, else {@code from}. */
    private static int byteEscapeEnd(String literal, int from, int end) {
        boolean hex = literal.charAt(from) == 'x';
        int digitsFrom = hex ? from + 1 : from;
        int to = digitsFrom;
        while (to < end && to - digitsFrom < (hex ? 2 : 3)
                && Character.digit(literal.charAt(to), hex ? 16 : 8) >= 0) {
            to++;
        }
        return to == digitsFrom ? from : to;
    }

    private static int byteValue(String literal, int from, int to) {
        boolean hex = literal.charAt(from) == 'x';
        return Integer.parseInt(literal.substring(hex ? from + 1 : from, to), hex ? 16 : 8) & 0xFF;
    }

    private void appendBytes(ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() == 0) {
            return;
        }
        String decoded = StrictDecoder.decode(bytes.toByteArray(), 0, bytes.size(), charset);
        entry.invalid |= decoded == null;
        out.append(decoded == null ? "" : decoded);
        bytes.reset();
    }

    private static char unescape(char c) {
        return switch (c) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'a' -> '\u0007';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'v' -> '\u000B';
            default -> c; // \" and \\ stand for themselves
        };
    }

    private static final class Entry {
        boolean fuzzy;
        boolean invalid;
        boolean hasContext;
        StringBuilder msgid;
        StringBuilder msgidPlural;
        final Map<Integer, StringBuilder> msgstr = new TreeMap<>();
        /** The string that continuation lines ({@code "..."} alone) extend. */
        StringBuilder field;

        /** A fresh string for the keyword's field, or null for a keyword gettext does not have. */
        StringBuilder fieldFor(String keyword) {
            StringBuilder value = new StringBuilder();
            switch (keyword) {
                case "msgctxt" -> hasContext = true; // context does not change the pair
                case "msgid" -> msgid = value;
                case "msgid_plural" -> msgidPlural = value;
                case "msgstr" -> msgstr.put(0, value);
                default -> {
                    Integer form = pluralForm(keyword);
                    if (form == null) {
                        return null;
                    }
                    msgstr.put(form, value);
                }
            }
            return value;
        }

        private static Integer pluralForm(String keyword) {
            if (!keyword.startsWith("msgstr[") || !keyword.endsWith("]")) {
                return null;
            }
            try {
                return Integer.parseInt(keyword.substring(7, keyword.length() - 1).strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
