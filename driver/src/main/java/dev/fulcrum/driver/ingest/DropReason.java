package dev.fulcrum.driver.ingest;

/**
 * Why ingestion dropped a row. A row gets the first reason that applies, in declaration order, so every
 * dropped row is counted exactly once.
 */
public enum DropReason {
    /** A TSV line without a TAB, a null cell in a table, a gettext entry without {@code msgstr}. */
    MISSING_COLUMN("missing column"),
    /** A TSV line with more than two TAB-separated fields: which two are the pair is not known. */
    EXTRA_COLUMN("extra column"),
    /**
     * A {@code .mo} catalog whose structure is broken (truncated, a table or string beyond the end of the file):
     * the whole file counts as one dropped row, rather than failing the task on every attempt.
     */
    DAMAGED_CATALOG("damaged catalog"),
    /**
     * Bytes not valid in the file's encoding (UTF-8, or the charset a gettext catalog declares), or text that
     * already holds U+FFFD: some earlier step lost bytes there.
     */
    INVALID_UTF8("invalid UTF-8"),
    /** A gettext entry flagged {@code #, fuzzy}: a guess awaiting review, not a human translation. */
    FUZZY("fuzzy translation"),
    /** A control character (C0 or C1) left after normalisation, which turns tabs and newlines into spaces. */
    CONTROL_CHARACTERS("control characters"),
    /** A side empty after normalisation, e.g. an untranslated gettext entry. */
    EMPTY_SIDE("empty side"),
    /**
     * A side longer than {@code ingest.maxChars} code points after normalisation, or a text line longer than
     * {@link IngestOptions#maxLineBytes()} (read past without being held in memory).
     */
    OVER_LONG("over-long"),
    /** The same normalised (source, target) pair seen earlier in the corpus; the first one is kept. */
    DUPLICATE("duplicate");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
