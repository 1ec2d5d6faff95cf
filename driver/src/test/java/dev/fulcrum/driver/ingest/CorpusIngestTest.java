package dev.fulcrum.driver.ingest;

import dev.fulcrum.model.config.ConfigException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ingestion end to end on Spark local[2]: every format, every drop reason, the garbage threshold. */
class CorpusIngestTest {
    private static final IngestOptions ANY_GARBAGE = IngestOptions.defaults().withLimits(40, 1.0);

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("CorpusIngestTest")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void tsvKeepsCleanPairsInOrderAndCountsEachReason() throws IOException {
        Path tsv = write("corpus.tsv",
                utf8("\uFEFFHello\tBonjour\r\n"),
                utf8("no tab on this line\n"),
                utf8("caf"), new byte[] {(byte) 0xC3}, utf8("\tcafé\n"),
                utf8("lost\ttext \uFFFD here\n"),
                utf8("bell \u0007\tcloche\n"),
                utf8("next\u0085line\tligne\n"),
                utf8("  \t vide\n"),
                utf8("x".repeat(41) + "\ttrop long\n"),
                utf8("  Hello \t Bonjour  \n"),
                utf8("cafe\u0301\tcafé\n"),
                utf8("café\tcafé\n"),
                utf8("a\tb\tthird column: an id, a score, or a TAB in a sentence\n"),
                utf8("\u202Bright\u202C\u200B-to-left\tde droite\u200F \u2067à gauche\u2069\n"),
                utf8("tab \u00a0 and\u2003spaces\tespaces\n"));

        IngestResult result = CorpusIngest.ingest(spark, tsv.toString(), ANY_GARBAGE);

        assertEquals(List.of("Hello|Bonjour", "café|café", "right-to-left|de droite à gauche",
                "tab and spaces|espaces"), pairs(result), "zero-width and bidi controls removed");
        assertCounts(result.report(), 4, Map.of(DropReason.MISSING_COLUMN, 1L, DropReason.EXTRA_COLUMN, 1L,
                DropReason.INVALID_UTF8, 2L, DropReason.CONTROL_CHARACTERS, 2L, DropReason.EMPTY_SIDE, 1L,
                DropReason.OVER_LONG, 1L, DropReason.DUPLICATE, 2L));
        assertEquals(14, result.report().read(), "every line read is kept or dropped");
    }

    @Test
    void orderAndFirstOccurrenceAreDeterministicAcrossSplits() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            lines.append("line ").append(i % 1000).append('\t').append("ligne ").append(i % 1000).append('\n');
        }
        Path tsv = write("many.tsv", utf8(lines.toString()));
        IngestResult result = CorpusIngest.ingest(spark, tsv.toString(), IngestOptions.defaults().withLimits(400, 0.7));
        List<String> kept = pairs(result);
        assertEquals(1000, kept.size());
        assertEquals("line 0|ligne 0", kept.get(0));
        assertEquals("line 999|ligne 999", kept.get(999));
        assertEquals(2000, result.report().dropped(DropReason.DUPLICATE));
        assertEquals(kept, pairs(result), "the lazy pairs re-read the corpus: same rows, same order");
    }

    @Test
    void parquetAndTableColumnsByNameWithNullCells() {
        StructType schema = new StructType()
                .add("id", DataTypes.IntegerType)
                .add("en", DataTypes.StringType)
                .add("fr", DataTypes.StringType);
        List<Row> rows = List.of(
                RowFactory.create(1, "Good morning", "Bonjour"),
                RowFactory.create(2, null, "Rien"),
                RowFactory.create(3, "Night", "Nuit"));
        String parquet = dir.resolve("table.parquet").toString();
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(parquet);
        IngestOptions columns = ANY_GARBAGE.withColumns("en", "fr");

        IngestResult fromParquet = CorpusIngest.ingest(spark, parquet, columns);
        assertEquals(List.of("Good morning|Bonjour", "Night|Nuit"), pairs(fromParquet));
        assertCounts(fromParquet.report(), 2, Map.of(DropReason.MISSING_COLUMN, 1L));

        spark.createDataFrame(rows, schema).createOrReplaceTempView("greetings");
        IngestResult fromTable = CorpusIngest.ingest(spark, "greetings", columns.withFormat(CorpusFormat.TABLE));
        assertEquals(List.of("Good morning|Bonjour", "Night|Nuit"), pairs(fromTable));

        ConfigException wrongColumn = assertThrows(ConfigException.class,
                () -> CorpusIngest.ingest(spark, parquet, ANY_GARBAGE.withColumns("de", "fr")));
        assertEquals("ingest.sourceColumn", wrongColumn.key());
        assertTrue(wrongColumn.getMessage().contains("id, en, fr"), wrongColumn.getMessage());
    }

    @Test
    void mosesFilesAreJoinedByLineAndMustBeAligned() throws IOException {
        write("corpus.en", utf8("One\nTwo\n"), new byte[] {(byte) 0xFF}, utf8("\nFour\n"));
        write("corpus.fr", utf8("Un\nDeux\nTrois\nQuatre\n"));
        IngestOptions moses = ANY_GARBAGE.withLanguages("en", "fr");

        IngestResult result = CorpusIngest.ingest(spark, dir.resolve("corpus").toString(), moses);
        assertEquals(List.of("One|Un", "Two|Deux", "Four|Quatre"), pairs(result));
        assertCounts(result.report(), 3, Map.of(DropReason.INVALID_UTF8, 1L));

        write("short.en", utf8("One\nTwo\n"));
        write("short.fr", utf8("Un\n"));
        CorpusException misaligned = assertThrows(CorpusException.class,
                () -> CorpusIngest.ingest(spark, dir.resolve("short").toString(), moses));
        assertTrue(misaligned.getMessage().contains("has 2 lines") && misaligned.getMessage().contains("has 1"),
                misaligned.getMessage());
    }

    @Test
    void aHugeLineIsReadPastAndCountedWithoutBeingHeld() throws IOException {
        int limit = ANY_GARBAGE.maxLineBytes();
        byte[] huge = new byte[24 << 20];
        Arrays.fill(huge, (byte) 'x');
        write("huge.tsv", utf8("One\tUn\n"), huge, utf8("\tvingt-quatre Mo\n"),
                utf8("y".repeat(limit + 1) + "\n"), utf8("z".repeat(limit - 3) + "\tz\n"), utf8("Two\tDeux\n"));

        IngestResult tsv = CorpusIngest.ingest(spark, dir.resolve("huge.tsv").toString(), ANY_GARBAGE);
        assertEquals(List.of("One|Un", "Two|Deux"), pairs(tsv));
        assertCounts(tsv.report(), 2, Map.of(DropReason.OVER_LONG, 3L));

        write("corpus.en", utf8("One\n"), huge, utf8("\nThree\n"));
        write("corpus.fr", utf8("Un\nDeux\nTrois\n"));
        IngestResult moses = CorpusIngest.ingest(spark, dir.resolve("corpus").toString(),
                ANY_GARBAGE.withLanguages("en", "fr"));
        assertEquals(List.of("One|Un", "Three|Trois"), pairs(moses), "an over-long line keeps its line number");
        assertCounts(moses.report(), 2, Map.of(DropReason.OVER_LONG, 1L));
    }

    @Test
    void aCompressedTsvIsReadWhole() throws IOException {
        Path gz = dir.resolve("corpus.tsv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            for (int i = 0; i < 2000; i++) {
                out.write(utf8("line " + i + "\tligne " + i + "\n"));
            }
        }
        IngestResult result = CorpusIngest.ingest(spark, gz.toString(), ANY_GARBAGE.withFormat(CorpusFormat.TSV));
        assertEquals(2000, pairs(result).size());
        assertEquals("line 1999|ligne 1999", pairs(result).get(1999));
    }

    @Test
    void gettextTreeReadsEveryPoAndMoCatalog() throws IOException {
        write("locale/fr/app.po", utf8("""
                msgid ""
                msgstr "Content-Type: text/plain; charset=UTF-8\\n"

                #, fuzzy
                msgid "Save"
                msgstr "Enregistrer"

                msgid "Quit"
                msgstr "Quitter"

                msgid "%d file"
                msgid_plural "%d files"
                msgstr[0] "%d fichier"
                msgstr[1] ""

                msgid "Help"
                msgstr ""
                """));
        write("locale/de/LC_MESSAGES/app.mo", MoFiles.mo(ByteOrder.BIG_ENDIAN, StandardCharsets.UTF_8,
                MoFiles.header("UTF-8"), new String[] {"Quit", "Beenden"}, new String[] {"Open", "Öffnen"}));
        write("locale/README", utf8("not a catalog"));
        byte[] good = MoFiles.mo(ByteOrder.LITTLE_ENDIAN, StandardCharsets.UTF_8, MoFiles.header("UTF-8"),
                new String[] {"Close", "Schließen"});
        write("locale/nl/LC_MESSAGES/cut.mo", Arrays.copyOf(good, good.length - 3)); // issue 16, item 6

        IngestResult tree = CorpusIngest.ingest(spark, dir.resolve("locale").toString(), ANY_GARBAGE);
        assertEquals(List.of("Quit|Beenden", "Open|Öffnen", "Quit|Quitter", "%d file|%d fichier"), pairs(tree));
        assertCounts(tree.report(), 4, Map.of(DropReason.FUZZY, 1L, DropReason.EMPTY_SIDE, 2L,
                DropReason.DAMAGED_CATALOG, 1L));

        IngestResult oneFile = CorpusIngest.ingest(spark, dir.resolve("locale/de/LC_MESSAGES/app.mo").toString(),
                ANY_GARBAGE);
        assertEquals(List.of("Quit|Beenden", "Open|Öffnen"), pairs(oneFile));
    }

    @Test
    void tooMuchGarbageIsAnErrorNamingTheThreshold() throws IOException {
        Path tsv = write("garbage.tsv", utf8("ok\tok\nbad\nworse\n"));
        IngestOptions strict = IngestOptions.defaults().withLimits(400, 0.5);

        CorpusException error = assertThrows(CorpusException.class,
                () -> CorpusIngest.ingest(spark, tsv.toString(), strict));
        assertTrue(error.getMessage().contains("ingest.maxBadFraction = 0.5"), error.getMessage());
        assertTrue(error.getMessage().contains("3 rows read, 1 kept, 2 dropped"), error.getMessage());
        assertTrue(error.getMessage().contains("missing column       2"), error.getMessage());
    }

    /** Issue 16, item 6: with every row tolerated as bad, a corpus of bad rows used to fail much later, obscurely. */
    @Test
    void aCorpusWithNoUsablePairIsAnErrorEvenWhenAllRowsMayBeBad() throws IOException {
        Path tsv = write("all-bad.tsv", utf8("bad\nworse\ta\tb\n"));

        CorpusException error = assertThrows(CorpusException.class,
                () -> CorpusIngest.ingest(spark, tsv.toString(), IngestOptions.defaults().withLimits(400, 1.0)));
        assertTrue(error.getMessage().startsWith("no usable pairs in corpus " + tsv + ": all 2 rows were dropped"),
                error.getMessage());
        assertTrue(error.getMessage().contains("extra column         1"), error.getMessage());
    }

    /** Issue 16, item 6: detection looked into subdirectories, the reader did not and failed; globs were refused. */
    @Test
    void aTsvTreeWithSubdirectoriesAndAGlobAreRead() throws IOException {
        write("tree/a.tsv", utf8("one\tun\n"));
        write("tree/more/b.tsv", utf8("two\tdeux\n"));
        write("tree/_SUCCESS", new byte[0]);
        write("tree/.b.tsv.crc", utf8("hidden\n"));

        assertEquals(List.of("one|un", "two|deux"),
                pairs(CorpusIngest.ingest(spark, dir.resolve("tree").toString(), ANY_GARBAGE)));
        assertEquals(List.of("one|un", "two|deux"),
                pairs(CorpusIngest.ingest(spark, dir.resolve("tree") + "/{a.tsv,more}", ANY_GARBAGE)));
        assertEquals(List.of("two|deux"),
                pairs(CorpusIngest.ingest(spark, dir.resolve("tree") + "/m*/*.tsv", ANY_GARBAGE)));
        assertThrows(CorpusException.class,
                () -> CorpusIngest.ingest(spark, dir.resolve("tree") + "/z*.tsv", ANY_GARBAGE), "a glob matching nothing");
    }

    @Test
    void missingOrUnrecognisableCorpusIsAClearError() throws IOException {
        String missing = dir.resolve("nowhere.tsv").toString();
        CorpusException notFound = assertThrows(CorpusException.class,
                () -> CorpusIngest.ingest(spark, missing, ANY_GARBAGE.withFormat(CorpusFormat.TSV)));
        assertEquals("corpus not found: " + missing, notFound.getMessage());
        assertThrows(CorpusException.class, () -> CorpusIngest.ingest(spark, missing, ANY_GARBAGE));
        assertThrows(CorpusException.class,
                () -> CorpusIngest.ingest(spark, dir.resolve("nowhere").toString(), ANY_GARBAGE.withLanguages("en", "fr")));

        Path unknown = write("corpus.csv", utf8("a,b\n"));
        CorpusException format = assertThrows(CorpusException.class,
                () -> CorpusIngest.ingest(spark, unknown.toString(), ANY_GARBAGE));
        assertTrue(format.getMessage().contains("set ingest.format"), format.getMessage());

        Path empty = write("empty.tsv", new byte[0]);
        assertThrows(CorpusException.class, () -> CorpusIngest.ingest(spark, empty.toString(), ANY_GARBAGE));
    }

    private static void assertCounts(IngestReport report, long kept, Map<DropReason, Long> dropped) {
        assertEquals(kept, report.kept(), report::summary);
        for (DropReason reason : DropReason.values()) {
            assertEquals(dropped.getOrDefault(reason, 0L), report.dropped(reason), reason + "\n" + report.summary());
        }
    }

    private static List<String> pairs(IngestResult result) {
        return result.pairs().collectAsList().stream()
                .map(row -> row.getString(0) + "|" + row.getString(1))
                .collect(Collectors.toList());
    }

    private Path write(String name, byte[]... parts) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            bytes.writeBytes(part);
        }
        return Files.write(file, bytes.toByteArray());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
