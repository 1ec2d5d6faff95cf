package dev.fulcrum.driver.data;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.text.BpeLearner;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.text.PreTokenizer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/** The shared BPE vocabulary: word counts over both sides computed by Spark, merges learned on the driver. */
public final class Vocabularies {
    private Vocabularies() {
    }

    /** @param pairs columns {@code source}, {@code target} */
    public static BpeModel learn(Dataset<Row> pairs, RunConfig.Vocab settings) {
        pairs.sparkSession().sparkContext().setJobDescription("vocabulary: count words of both sides");
        Map<String, Long> counts = new HashMap<>(wordCounts(pairs).collectAsMap());
        return BpeLearner.learn(counts, settings.size(), settings.minPairCount());
    }

    /** Counted per partition first, so that only distinct words per partition are shuffled. */
    static JavaPairRDD<String, Long> wordCounts(Dataset<Row> pairs) {
        return pairs.javaRDD()
                .mapPartitionsToPair(rows -> {
                    List<String> sentences = new java.util.ArrayList<>();
                    rows.forEachRemaining(row -> {
                        sentences.add(row.getString(0));
                        sentences.add(row.getString(1));
                    });
                    return PreTokenizer.countWords(sentences).entrySet().stream()
                            .map(e -> new Tuple2<>(e.getKey(), e.getValue())).iterator();
                })
                .reduceByKey(Long::sum);
    }
}
