package dev.fulcrum.driver.ingest;

import dev.fulcrum.model.config.Check;

import java.util.Arrays;
import java.util.Locale;

/** How a corpus is laid out; the value of {@code ingest.format} in lower case. */
public enum CorpusFormat {
    /** Chosen from the path: see {@link CorpusIngest}. */
    AUTO,
    /** UTF-8 lines {@code source<TAB>target}; fields after the second are ignored (ids, scores). */
    TSV,
    /** Parquet files with the columns {@code ingest.sourceColumn} and {@code ingest.targetColumn}. */
    PARQUET,
    /** A table or view of the Spark catalog, named by the path, with the same two columns. */
    TABLE,
    /** Two line-aligned UTF-8 files {@code path.sourceLang} and {@code path.targetLang}. */
    MOSES,
    /** A gettext catalog ({@code .po} or {@code .mo}), or a directory tree whose catalogs are all read. */
    GETTEXT;

    /** The format named by a configuration value, e.g. {@code "tsv"}; names the key when it is unknown. */
    public static CorpusFormat parse(String value) {
        String[] names = Arrays.stream(values()).map(CorpusFormat::key).toArray(String[]::new);
        String name = Check.oneOf("ingest.format", value == null ? null : value.toLowerCase(Locale.ROOT), names);
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The format a single file has by its extension, or null when the extension says nothing. */
    static CorpusFormat ofFile(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".tsv") || name.endsWith(".txt")) {
            return TSV;
        }
        if (name.endsWith(".parquet")) {
            return PARQUET;
        }
        return isCatalog(name) ? GETTEXT : null;
    }

    static boolean isCatalog(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return name.endsWith(".po") || name.endsWith(".mo");
    }

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
