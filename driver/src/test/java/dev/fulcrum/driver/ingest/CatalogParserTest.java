package dev.fulcrum.driver.ingest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gettext parsers on their own, without Spark. */
class CatalogParserTest {

    private static final String PO = """
            # Translator comment
            msgid ""
            msgstr ""
            "Content-Type: text/plain; charset=UTF-8\\n"
            "Plural-Forms: nplurals=2; plural=(n > 1);\\n"

            #: src/main.c:10
            msgid "&Open"
            msgstr "&Ouvrir"

            msgctxt "menu"
            msgid "File"
            msgstr "Fichier"

            msgid ""
            "Two lines,\\n"
            "one \\"quoted\\" word\\tand a \\\\ backslash"
            msgstr "Deux lignes,\\n"
            "un mot \\"cité\\""

            #, fuzzy, c-format
            msgid "%d file"
            msgstr "%d fichier"

            msgid "%d window"
            msgid_plural "%d windows"
            msgstr[0] "%d fenêtre"
            msgstr[1] "%d fenêtres"

            msgid "Untranslated"
            msgstr ""

            #~ msgid "Old"
            #~ msgstr "Ancien"

            msgid "Last"
            msgstr "Dernier"
            """;

    @Test
    void poEntriesWithPluralsContinuationsEscapesAndFlags() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        List<RawPair> pairs = PoParser.parse(concat(bom, PO.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(
                RawPair.of("&Open", "&Ouvrir"),
                RawPair.of("File", "Fichier"),
                RawPair.of("Two lines,\none \"quoted\" word\tand a \\ backslash", "Deux lignes,\nun mot \"cité\""),
                new RawPair("%d file", "%d fichier", DropReason.FUZZY),
                RawPair.of("%d window", "%d fenêtre"),
                RawPair.of("%d windows", "%d fenêtres"),
                RawPair.of("Untranslated", ""),
                RawPair.of("Last", "Dernier")), pairs);
    }

    @Test
    void poDeclaredCharsetAndInvalidBytesMarkOnlyTheirEntry() {
        byte[] latin1 = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n\nmsgid \"yes\"\nmsgstr \"oui, là\"\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(RawPair.of("yes", "oui, là")), PoParser.parse(latin1));

        byte[] utf8 = concat("msgid \"coffee\"\r\nmsgstr \"caf".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xE9},
                "\"\r\n\r\nmsgid \"tea\"\r\nmsgstr \"thé\"\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new RawPair("coffee", "caf\uFFFD", DropReason.INVALID_UTF8), RawPair.of("tea", "thé")),
                PoParser.parse(utf8));
    }

    @Test
    void poPluralFormsFollowTheHeadersRuleAndByteEscapesDecodeInTheCharset() {
        String russian = """
                msgid ""
                msgstr ""
                "Content-Type: text/plain; charset=UTF-8\\n"
                "Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n"
                "%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

                msgid "%d file"
                msgid_plural "%d files"
                msgstr[0] "%d файл"
                msgstr[1] "%d файла"
                msgstr[2] "%d файлов"

                msgid "caf\\303\\251 \\x41\\x42C \\0101"
                msgstr "кафе"

                msgid "broken \\377 byte"
                msgstr "сломан"
                """;
        assertEquals(List.of(
                RawPair.of("%d file", "%d файл"),
                RawPair.of("%d files", "%d файла"),
                RawPair.of("%d files", "%d файлов"),
                RawPair.of("café ABC \u00081", "кафе"),
                new RawPair("broken  byte", "сломан", DropReason.INVALID_UTF8)),
                PoParser.parse(russian.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void moPluralFormsFollowTheHeadersRule() {
        String[] arabicHeader = {"", "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=6; plural=(n==0"
                + " ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\n"};
        byte[] mo = MoFiles.mo(ByteOrder.LITTLE_ENDIAN, StandardCharsets.UTF_8, arabicHeader,
                new String[] {"%d day\0%d days", "z\0o\0t\0f\0m\0x"});
        assertEquals(List.of(RawPair.of("%d day", "o"), RawPair.of("%d days", "z"), RawPair.of("%d days", "t"),
                RawPair.of("%d days", "f"), RawPair.of("%d days", "m"), RawPair.of("%d days", "x")),
                MoParser.parse(mo, "ar.mo"));
    }

    @Test
    void moBothByteOrdersContextsAndPlurals() {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            byte[] mo = MoFiles.mo(order, StandardCharsets.UTF_8, MoFiles.header("UTF-8"),
                    new String[] {"menu\u0004File", "Fichier"},
                    new String[] {"%d window\0%d windows", "%d fenêtre\0%d fenêtres"});
            assertEquals(List.of(RawPair.of("File", "Fichier"), RawPair.of("%d window", "%d fenêtre"),
                    RawPair.of("%d windows", "%d fenêtres")), MoParser.parse(mo, "x.mo"), order.toString());
        }
    }

    @Test
    void moDeclaredCharsetAndInvalidBytes() {
        byte[] latin1 = MoFiles.mo(ByteOrder.LITTLE_ENDIAN, StandardCharsets.ISO_8859_1, MoFiles.header("ISO-8859-1"),
                new String[] {"yes", "oui, là"});
        assertEquals(List.of(RawPair.of("yes", "oui, là")), MoParser.parse(latin1, "x.mo"));

        byte[] mislabelled = MoFiles.mo(ByteOrder.LITTLE_ENDIAN, StandardCharsets.ISO_8859_1, MoFiles.header("UTF-8"),
                new String[] {"yes", "oui, là"});
        assertEquals(List.of(RawPair.dropped(DropReason.INVALID_UTF8)), MoParser.parse(mislabelled, "x.mo"));
    }

    @Test
    void moCorruptFilesAreErrorsNamingTheFile() {
        byte[] good = MoFiles.mo(ByteOrder.LITTLE_ENDIAN, StandardCharsets.UTF_8, new String[] {"a", "b"});
        CorpusException notMo = assertThrows(CorpusException.class,
                () -> MoParser.parse("not a catalog at all".getBytes(StandardCharsets.UTF_8), "po/fr.mo"));
        assertTrue(notMo.getMessage().contains("po/fr.mo"), notMo.getMessage());
        CorpusException truncated = assertThrows(CorpusException.class,
                () -> MoParser.parse(Arrays.copyOf(good, good.length - 3), "po/fr.mo"));
        assertTrue(truncated.getMessage().contains("beyond the end"), truncated.getMessage());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
