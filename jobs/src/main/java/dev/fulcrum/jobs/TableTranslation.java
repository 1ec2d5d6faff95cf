package dev.fulcrum.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.substring_index;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.fulcrum.ml.FulcrumTranslationModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code translate} of a table, Parquet or TSV input on Spark: the sources are read as a DataFrame, translated by
 * {@link FulcrumTranslationModel#transform} (the same code as a Spark ML pipeline runs) and written as Parquet with
 * the columns {@code source} and {@code translation}.
 */
final class TableTranslation {
    /** Rows written, sources cut to the model's maximum length, and the seconds the translation took. */
    record Result(long rows, long truncated, double seconds) {
    }

    private TableTranslation() {
    }

    /**
     * Whether {@code input} names what is translated on Spark rather than line by line: a directory, a Parquet
     * file, or no file at all (a catalog table).
     */
    static boolean isTable(String input) {
        if (input.equals("-")) {
            return false;
        }
        Path path = Path.of(input);
        return Files.isDirectory(path) || input.toLowerCase(Locale.ROOT).endsWith(".parquet") || !Files.exists(path);
    }

    /**
     * @param sourceColumn the source column of a Parquet input or a table; a TSV input's source is its first field
     */
    static Result run(SparkSession spark, FulcrumTranslationModel model, String input, String sourceColumn,
                      String output) {
        long start = System.nanoTime();
        Dataset<Row> sources = spread(sources(spark, input, sourceColumn), spark.sparkContext().defaultParallelism());
        model.setSourceCol("source").setOutputCol("translation");
        model.transform(sources).select("source", "translation").write().parquet(output);
        long rows = spark.read().parquet(output).count();
        return new Result(rows, model.truncatedInputs().value(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * A small file is one partition, which one executor core would translate alone: give every core of the
     * application a share (the output's row order is not kept anyway).
     */
    private static Dataset<Row> spread(Dataset<Row> sources, int cores) {
        return sources.rdd().getNumPartitions() < cores ? sources.repartition(cores) : sources;
    }

    private static Dataset<Row> sources(SparkSession spark, String input, String sourceColumn) {
        Path path = Path.of(input);
        if (!Files.exists(path)) {
            if (!spark.catalog().tableExists(input)) {
                throw new FulcrumCli.UserFacingException("--input " + input
                        + ": neither a file, a directory nor a table of the Spark catalog", null);
            }
            return spark.table(input).select(col(sourceColumn).cast("string").as("source"));
        }
        if (isParquet(path)) {
            return spark.read().parquet(input).select(col(sourceColumn).cast("string").as("source"));
        }
        // TSV (or plain text): the source is everything before the first TAB.
        return spark.read().text(input).select(substring_index(col("value"), "\t", 1).as("source"));
    }

    private static boolean isParquet(Path path) {
        if (Files.isDirectory(path)) {
            try (var files = Files.list(path)) {
                return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
    }
}
