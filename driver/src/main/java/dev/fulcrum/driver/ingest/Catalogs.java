package dev.fulcrum.driver.ingest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the {@code .po} and {@code .mo} readers share: the declared charset and the pairs of one entry. */
final class Catalogs {
    private static final Pattern CHARSET = Pattern.compile("charset=([A-Za-z0-9_.:-]+)");

    private Catalogs() {
    }

    /**
     * The charset of the header's {@code Content-Type}, found in text decoded as ISO-8859-1 (every byte is a
     * character, so the ASCII header reads the same whatever the charset); UTF-8 when absent or unknown,
     * e.g. the {@code charset=CHARSET} placeholder of a template.
     */
    static Charset declaredCharset(String latin1Text) {
        Matcher matcher = CHARSET.matcher(latin1Text);
        if (matcher.find() && Charset.isSupported(matcher.group(1))) {
            return Charset.forName(matcher.group(1));
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * The pairs of one entry: {@code msgid → msgstr[0]}, and {@code msgid_plural → msgstr[1]} when both exist.
     * An entry without any {@code msgstr} yields a pair with a missing target.
     */
    static void addPairs(String msgid, String msgidPlural, List<String> forms, DropReason reason,
                         List<RawPair> out) {
        out.add(new RawPair(msgid, forms.isEmpty() ? null : forms.get(0), reason));
        if (msgidPlural != null && forms.size() > 1) {
            out.add(new RawPair(msgidPlural, forms.get(1), reason));
        }
    }
}
