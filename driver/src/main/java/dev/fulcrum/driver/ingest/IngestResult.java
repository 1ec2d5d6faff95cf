package dev.fulcrum.driver.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A cleaned corpus and its report.
 *
 * @param pairs  columns {@code source} and {@code target} (normalised strings, never null or empty), in corpus
 *               order; lazy: every action re-reads the corpus, so cache it when it is used more than once
 * @param report counts of the rows read, kept and dropped
 */
public record IngestResult(Dataset<Row> pairs, IngestReport report) {
}
