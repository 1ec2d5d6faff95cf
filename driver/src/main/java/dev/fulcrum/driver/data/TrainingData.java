package dev.fulcrum.driver.data;

import dev.fulcrum.model.data.TextPair;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.text.BpeTokenizer;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/** From clean pairs to what training consumes: a held-out split and one encoded share per replica. */
public final class TrainingData {
    private static final long HASH_RANGE = 1L << 40;

    private TrainingData() {
    }

    /** Training pairs (Spark) and validation pairs (on the driver: source, target). */
    public record Split(Dataset<Row> train, List<TextPair> valid) {
    }

    /**
     * Holds out pairs by a seeded hash of their source side: deterministic, independent of partitioning, and
     * a source sentence (with all its translations) is never on both sides of the split.
     */
    public static Split holdOut(Dataset<Row> pairs, RunConfig.Split settings, long seed) {
        pairs.sparkSession().sparkContext().setJobDescription("split: hold out validation pairs");
        Dataset<Row> hashed = pairs.withColumn("h", pmod(xxhash64(col("source"), lit(seed)), lit(HASH_RANGE)));
        long threshold = (long) (settings.validFraction() * HASH_RANGE);
        List<Row> lowest = hashed.filter(col("h").lt(threshold)).select("h").orderBy("h")
                .limit(settings.validMax()).collectAsList();
        long cut = lowest.isEmpty() ? -1 : lowest.get(lowest.size() - 1).getLong(0);
        List<TextPair> valid = new ArrayList<>();
        for (Row row : hashed.filter(col("h").leq(cut)).orderBy("h", "source", "target").collectAsList()) {
            valid.add(new TextPair(row.getString(0), row.getString(1)));
        }
        return new Split(hashed.filter(col("h").gt(cut)).select("source", "target"), valid);
    }

    /**
     * Encodes the pairs on the executors and deals them round-robin (in corpus order) into one partition
     * per replica, sorted by corpus position inside each partition so that a replica's data, and hence its
     * batches, are the same in every run; cached serialised, as every round reads them again.
     */
    public static JavaRDD<int[][]> shares(Dataset<Row> train, Broadcast<BpeModel> vocabulary, int replicas) {
        train.sparkSession().sparkContext().setJobDescription("encode: BPE-encode the training pairs");
        JavaRDD<int[][]> encoded = train.javaRDD().mapPartitions(rows -> {
            BpeTokenizer tokenizer = new BpeTokenizer(vocabulary.value());
            List<int[][]> pairs = new ArrayList<>();
            rows.forEachRemaining(row -> pairs.add(tokenizer.encodePair(row.getString(0), row.getString(1))));
            return pairs.iterator();
        });
        JavaRDD<int[][]> shares = encoded.zipWithIndex()
                .mapToPair(Tuple2::swap)
                .repartitionAndSortWithinPartitions(new RoundRobin(replicas))
                .values();
        shares.persist(StorageLevel.MEMORY_AND_DISK_SER());
        train.sparkSession().sparkContext().setJobDescription("encode: deal the pairs to " + replicas + " replicas");
        shares.count();
        return shares;
    }

    /**
     * Identifies the clean corpus independent of its partitioning: pair count and the sum of the pairs'
     * 64-bit hashes (stored in the model's provenance).
     */
    public static String fingerprint(Dataset<Row> pairs) {
        pairs.sparkSession().sparkContext().setJobDescription("fingerprint the clean corpus");
        Row row = pairs.agg(org.apache.spark.sql.functions.count(lit(1)),
                org.apache.spark.sql.functions.sum(xxhash64(col("source"), col("target")))).first();
        long sum = row.isNullAt(1) ? 0 : ((Number) row.get(1)).longValue();
        return String.format("xxhash64-sum:%016x/%d", sum, row.getLong(0));
    }

    /** Pair i goes to replica i mod n. */
    static final class RoundRobin extends Partitioner {
        private final int partitions;

        RoundRobin(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (int) ((Long) key % partitions);
        }
    }
}
