package dev.fulcrum.driver.ingest;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;

/**
 * One pair as a reader found it, before normalisation: a side is null when it is missing, and {@code reason}
 * is set when the reader already knows the pair is bad (bytes not decodable, a fuzzy entry...).
 */
record RawPair(String source, String target, DropReason reason) implements Serializable {

    /**
     * Every reader's rows: where the pair came from ({@code origin}: a file or table; {@code position}: an
     * increasing number within it) so that output order and "first of the duplicates" are deterministic.
     */
    static final StructType SCHEMA = new StructType()
            .add("origin", DataTypes.StringType, false)
            .add("position", DataTypes.LongType, false)
            .add("source", DataTypes.StringType, true)
            .add("target", DataTypes.StringType, true)
            .add("reason", DataTypes.StringType, true);

    static RawPair of(String source, String target) {
        return new RawPair(source, target, null);
    }

    static RawPair dropped(DropReason reason) {
        return new RawPair(null, null, reason);
    }

    Row toRow(String origin, long position) {
        return RowFactory.create(origin, position, source, target, reason == null ? null : reason.name());
    }
}
