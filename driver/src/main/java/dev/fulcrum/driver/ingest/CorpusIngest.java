package dev.fulcrum.driver.ingest;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

/**
 * Reads a parallel corpus with Spark, normalises it and drops bad rows, counting them by {@link DropReason}.
 *
 * <p>What {@code path} names, by {@link CorpusFormat}:
 * <ul>
 *   <li>TSV: a file or a directory of files, lines {@code source<TAB>target} in UTF-8;</li>
 *   <li>PARQUET: a Parquet file or directory; TABLE: a table name of the Spark catalog;</li>
 *   <li>MOSES: the common prefix of {@code path.sourceLang} and {@code path.targetLang}, e.g. {@code data/corpus}
 *       for {@code data/corpus.en} and {@code data/corpus.fr};</li>
 *   <li>GETTEXT: a {@code .po} or {@code .mo} file, or a localisation tree whose {@code .po} and {@code .mo}
 *       files are all read (a {@code .mo} compiled from a {@code .po} of the same tree yields duplicates);</li>
 *   <li>AUTO: Moses when {@code ingest.sourceLang} and {@code ingest.targetLang} are set; otherwise by file
 *       extension ({@code .tsv}/{@code .txt}, {@code .parquet}, {@code .po}/{@code .mo}), for a directory by
 *       the files in its tree.</li>
 * </ul>
 */
public final class CorpusIngest {
    private CorpusIngest() {
    }

    /**
     * The clean pairs of the corpus at {@code path} and the report, which has been counted already (one Spark
     * job); the pairs themselves are lazy.
     *
     * @throws CorpusException when the corpus is missing, empty, unreadable, or more than
     *                         {@code ingest.maxBadFraction} of its rows are dropped
     */
    public static IngestResult ingest(SparkSession spark, String path, IngestOptions options) {
        CorpusFormat format = options.format() == CorpusFormat.AUTO
                ? CorpusFiles.detect(spark, path, options) : options.format();
        Dataset<Row> checked = CorpusReaders.read(spark, path, format, options)
                .map(new PairCheck(options.maxChars()), Encoders.row(RawPair.SCHEMA));
        Dataset<Row> tagged = markDuplicates(checked);
        IngestReport report = count(tagged, path);
        requireUsable(report, options.maxBadFraction());
        Dataset<Row> pairs = tagged.filter(col("reason").isNull())
                .orderBy("origin", "position")
                .select("source", "target");
        return new IngestResult(pairs, report);
    }

    /**
     * Every clean pair after its first occurrence, in corpus order, becomes a {@link DropReason#DUPLICATE}.
     * Rows dropped already get a window of their own (their position is in the key), so that they neither
     * count as first occurrences nor pile up in one window.
     */
    private static Dataset<Row> markDuplicates(Dataset<Row> checked) {
        Column dropped = col("reason").isNotNull();
        WindowSpec samePair = Window
                .partitionBy(col("reason"), col("source"), col("target"),
                        when(dropped, col("origin")), when(dropped, col("position")))
                .orderBy("origin", "position");
        Column duplicate = col("reason").isNull().and(row_number().over(samePair).gt(1));
        return checked.withColumn("reason",
                when(duplicate, lit(DropReason.DUPLICATE.name())).otherwise(col("reason")));
    }

    /** Counted by a DataFrame aggregation, not accumulators, which count twice when a task is retried. */
    private static IngestReport count(Dataset<Row> tagged, String corpus) {
        long kept = 0;
        Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
        for (Row row : tagged.groupBy("reason").count().collectAsList()) {
            if (row.isNullAt(0)) {
                kept = row.getLong(1);
            } else {
                dropped.put(DropReason.valueOf(row.getString(0)), row.getLong(1));
            }
        }
        return new IngestReport(corpus, kept, dropped);
    }

    private static void requireUsable(IngestReport report, double maxBadFraction) {
        if (report.read() == 0) {
            throw new CorpusException("no rows in corpus " + report.corpus());
        }
        if (report.kept() == 0) {
            throw new CorpusException(String.format(Locale.ROOT, "no usable pairs in corpus %s: all %,d rows were "
                    + "dropped%n%s", report.corpus(), report.read(), report.summary()));
        }
        if (report.badFraction() > maxBadFraction) {
            throw new CorpusException(String.format(Locale.ROOT,
                    "too many bad rows: %.1f%% dropped, above ingest.maxBadFraction = %s%n%s",
                    100 * report.badFraction(), maxBadFraction, report.summary()));
        }
    }
}
