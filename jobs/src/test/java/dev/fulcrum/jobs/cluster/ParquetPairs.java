package dev.fulcrum.jobs.cluster;

import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.SparkSession;

/** The (source, translation) rows of a Parquet output of {@code translate}, as "source TAB translation" lines. */
final class ParquetPairs {
    private ParquetPairs() {
    }

    static List<String> read(Path parquet) {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("parquet-pairs")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            return spark.read().parquet(parquet.toString()).collectAsList().stream()
                    .map(row -> row.getString(row.fieldIndex("source")) + "\t"
                            + row.getString(row.fieldIndex("translation")))
                    .toList();
        } finally {
            spark.stop();
        }
    }
}
