package dev.fulcrum.driver.ingest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Gettext plural rules of real languages: which form is the singular, which are the plural's. */
class PluralRuleTest {

    @Test
    void formsOfRealLanguages() {
        assertForms("nplurals=2; plural=(n > 1);", 0, List.of(1)); // French
        assertForms("nplurals=2; plural=n != 1;", 0, List.of(1)); // English, German
        assertForms("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20)"
                + " ? 1 : 2);", 0, List.of(1, 2)); // Russian
        assertForms("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3"
                + " : n%100>=11 ? 4 : 5);", 1, List.of(0, 2, 3, 4, 5)); // Arabic: the singular is form 1
        assertForms("nplurals=1; plural=0;", 0, List.of(0)); // Japanese: one form for every count
        assertForms("nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;", 0,
                List.of(1, 2, 3)); // Welsh
        assertForms("nplurals=2; plural=!(n == 1) + 0 * (n / 0);", 0, List.of(1)); // '!', and division by 0
    }

    @Test
    void aMissingOrBrokenRuleIsGettextsDefault() {
        assertSame(PluralRule.DEFAULT, PluralRule.ofHeader("Content-Type: text/plain; charset=UTF-8\n"));
        assertSame(PluralRule.DEFAULT, PluralRule.ofHeader("Plural-Forms: nplurals=2; plural=n ?? 1;\n"));
        assertSame(PluralRule.DEFAULT, PluralRule.ofHeader("Plural-Forms: nplurals=2; plural=(n > 1;\n"));
        assertSame(PluralRule.DEFAULT, PluralRule.ofHeader("Plural-Forms: nplurals=2; plural=99999999999999999999;\n"));
    }

    private static void assertForms(String rule, int singular, List<Integer> plural) {
        PluralRule parsed = PluralRule.ofHeader("Language: xx\nPlural-Forms: " + rule + "\n");
        assertEquals(singular, parsed.singularForm(), rule);
        assertEquals(plural, parsed.pluralForms(), rule);
    }
}
