package dev.fulcrum.driver.ingest;

import dev.fulcrum.model.config.Check;

/**
 * How to read and clean a corpus; validated once, every error names its {@code ingest.*} key.
 *
 * @param format         {@code ingest.format}: the layout, or {@link CorpusFormat#AUTO} to detect it
 * @param sourceColumn   {@code ingest.sourceColumn}: the source column of a Parquet file or table
 * @param targetColumn   {@code ingest.targetColumn}: the target column of a Parquet file or table
 * @param sourceLang     {@code ingest.sourceLang}: suffix of a Moses source file ({@code en} for
 *                       {@code corpus.en}); empty when the corpus is not Moses
 * @param targetLang     {@code ingest.targetLang}: suffix of a Moses target file; empty when not Moses
 * @param maxChars       {@code ingest.maxChars}: longest side kept, in code points after normalisation
 * @param maxBadFraction {@code ingest.maxBadFraction}: dropped/read above which ingestion fails
 */
public record IngestOptions(
        CorpusFormat format,
        String sourceColumn,
        String targetColumn,
        String sourceLang,
        String targetLang,
        int maxChars,
        double maxBadFraction) {

    private static final String LANG = "[A-Za-z0-9_-]+";

    public IngestOptions {
        Check.that(format != null, "ingest.format", null, "a corpus format");
        Check.that(isName(sourceColumn), "ingest.sourceColumn", sourceColumn, "a column name");
        Check.that(isName(targetColumn), "ingest.targetColumn", targetColumn, "a column name");
        Check.that(!sourceColumn.equals(targetColumn), "ingest.targetColumn", targetColumn,
                "a column other than ingest.sourceColumn");
        checkLanguages(format, sourceLang, targetLang);
        Check.intRange("ingest.maxChars", maxChars, 1, 1_000_000);
        Check.range("ingest.maxBadFraction", maxBadFraction, 0.0, 1.0);
    }

    /** Auto-detected format, columns {@code source}/{@code target}, 400 code points, at most half dropped. */
    public static IngestOptions defaults() {
        return new IngestOptions(CorpusFormat.AUTO, "source", "target", "", "", 400, 0.5);
    }

    public IngestOptions withFormat(CorpusFormat newFormat) {
        return new IngestOptions(newFormat, sourceColumn, targetColumn, sourceLang, targetLang, maxChars,
                maxBadFraction);
    }

    public IngestOptions withColumns(String source, String target) {
        return new IngestOptions(format, source, target, sourceLang, targetLang, maxChars, maxBadFraction);
    }

    public IngestOptions withLanguages(String source, String target) {
        return new IngestOptions(format, sourceColumn, targetColumn, source, target, maxChars, maxBadFraction);
    }

    public IngestOptions withLimits(int newMaxChars, double newMaxBadFraction) {
        return new IngestOptions(format, sourceColumn, targetColumn, sourceLang, targetLang, newMaxChars,
                newMaxBadFraction);
    }

    /**
     * The longest line of a text corpus held in memory, in bytes: 64 × {@code maxChars}, room for two sides of
     * {@code maxChars} four-byte code points with 8× to spare for whitespace that normalisation removes. A longer
     * line cannot give a pair that is kept; it is read past and counted as {@link DropReason#OVER_LONG}.
     */
    public int maxLineBytes() {
        return 64 * maxChars;
    }

    /** Both Moses suffixes are set (required for {@link CorpusFormat#MOSES}, optional otherwise). */
    public boolean hasLanguages() {
        return !sourceLang.isEmpty();
    }

    private static boolean isName(String column) {
        return column != null && !column.isBlank();
    }

    private static void checkLanguages(CorpusFormat format, String source, String target) {
        boolean optional = format != CorpusFormat.MOSES;
        if (optional && "".equals(source) && "".equals(target)) {
            return;
        }
        String allowed = "a file suffix matching " + LANG + (optional ? ", or both languages empty" : "");
        Check.that(source != null && source.matches(LANG), "ingest.sourceLang", source, allowed);
        Check.that(target != null && target.matches(LANG), "ingest.targetLang", target, allowed);
        Check.that(!source.equals(target), "ingest.targetLang", target, "a suffix other than ingest.sourceLang");
    }
}
