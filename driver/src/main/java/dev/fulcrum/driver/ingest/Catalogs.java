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
     * The pairs of one entry: {@code msgid → msgstr[singular]}, and {@code msgid_plural → msgstr[k]} for each
     * plural form k of the catalog's {@link PluralRule} that the entry has. An entry without any {@code msgstr}
     * yields a pair with a missing target.
     */
    static void addPairs(String msgid, String msgidPlural, List<String> forms, PluralRule rule, DropReason reason,
                         List<RawPair> out) {
        if (msgidPlural == null || forms.isEmpty()) {
            out.add(new RawPair(msgid, forms.isEmpty() ? null : forms.get(0), reason));
            return;
        }
        out.add(new RawPair(msgid, form(forms, rule.singularForm()), reason));
        for (int k : rule.pluralForms()) {
            if (k < forms.size()) {
                out.add(new RawPair(msgidPlural, forms.get(k), reason));
            }
        }
    }

    /** Form k, or null (a missing target) when the entry has fewer forms than the rule says. */
    private static String form(List<String> forms, int k) {
        return k >= 0 && k < forms.size() ? forms.get(k) : null;
    }
}
