package dev.fulcrum.driver.ingest;

import dev.fulcrum.model.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Configuration errors name their {@code ingest.*} key; the report's arithmetic. */
class IngestOptionsTest {
    private static final IngestOptions DEFAULTS = IngestOptions.defaults();

    @Test
    void invalidValuesNameTheirKey() {
        assertKey("ingest.maxChars", () -> DEFAULTS.withLimits(0, 0.5));
        assertKey("ingest.maxBadFraction", () -> DEFAULTS.withLimits(400, 1.5));
        assertKey("ingest.maxBadFraction", () -> DEFAULTS.withLimits(400, Double.NaN));
        assertKey("ingest.sourceColumn", () -> DEFAULTS.withColumns(" ", "fr"));
        assertKey("ingest.targetColumn", () -> DEFAULTS.withColumns("fr", "fr"));
        assertKey("ingest.sourceLang", () -> DEFAULTS.withFormat(CorpusFormat.MOSES));
        assertKey("ingest.targetLang", () -> DEFAULTS.withLanguages("en", ""));
        assertKey("ingest.targetLang", () -> DEFAULTS.withLanguages("en", "en"));
        assertKey("ingest.sourceLang", () -> DEFAULTS.withLanguages("../en", "fr"));
        assertKey("ingest.format", () -> CorpusFormat.parse("csv"));
        assertKey("ingest.format", () -> DEFAULTS.withFormat(null));
    }

    @Test
    void formatNamesAreLowerCaseKeys() {
        assertEquals(CorpusFormat.GETTEXT, CorpusFormat.parse("gettext"));
        assertEquals(CorpusFormat.MOSES, CorpusFormat.parse("Moses"));
    }

    @Test
    void reportListsEveryReasonAndAddsUp() {
        IngestReport report = new IngestReport("c.tsv", 6, Map.of(DropReason.DUPLICATE, 3L, DropReason.FUZZY, 1L));
        assertEquals(10, report.read());
        assertEquals(4, report.droppedTotal());
        assertEquals(0.4, report.badFraction(), 1e-12);
        assertEquals(0, report.dropped(DropReason.OVER_LONG));
        assertEquals(String.join(System.lineSeparator(),
                "c.tsv: 10 rows read, 6 kept, 4 dropped (40.0%)",
                "  missing column       0",
                "  extra column         0",
                "  damaged catalog      0",
                "  invalid UTF-8        0",
                "  fuzzy translation    1",
                "  control characters   0",
                "  empty side           0",
                "  over-long            0",
                "  duplicate            3"), report.summary());
    }

    private static void assertKey(String key, Executable invalid) {
        assertEquals(key, assertThrows(ConfigException.class, invalid).key());
    }
}
