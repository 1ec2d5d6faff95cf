package dev.fulcrum.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.fulcrum.driver.LocalSpark;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.text.BpeTokenizer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

public class TrainingDataTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("training-data-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Pairs "file 7 opened" → "fichier 7 ouvert", with sources repeated every 40 rows (as real catalogs do). */
    public static Dataset<Row> corpus(SparkSession spark, int rows) {
        List<Tuple2<String, String>> pairs = new ArrayList<>();
        String[][] nouns = {{"file", "fichier"}, {"folder", "dossier"}, {"page", "page"}, {"user", "utilisateur"}};
        String[][] verbs = {{"opened", "ouvert"}, {"saved", "enregistré"}, {"deleted", "supprimé"}};
        for (int i = 0; i < rows; i++) {
            String[] noun = nouns[i % nouns.length];
            String[] verb = verbs[(i / 4) % verbs.length];
            int n = i % 40;
            pairs.add(new Tuple2<>(noun[0] + " " + n + " " + verb[0], noun[1] + " " + n + " " + verb[1] + " " + i % 3));
        }
        return spark.createDataset(pairs, Encoders.tuple(Encoders.STRING(), Encoders.STRING())).toDF("source", "target");
    }

    @Test
    void holdOutIsDeterministicBoundedAndKeepsEachSourceOnOneSide() {
        Dataset<Row> corpus = corpus(spark, 400);
        TrainingData.Split first = TrainingData.holdOut(corpus, new RunConfig.Split(0.2, 30), 7);
        TrainingData.Split again = TrainingData.holdOut(corpus.repartition(3), new RunConfig.Split(0.2, 30), 7);
        assertTrue(first.valid().size() >= 10 && first.valid().size() <= 40, "size " + first.valid().size());
        assertEquals(first.valid().size(), again.valid().size());
        for (int i = 0; i < first.valid().size(); i++) {
            assertEquals(first.valid().get(i), again.valid().get(i), "independent of partitioning");
        }
        Set<String> validSources = new HashSet<>();
        first.valid().forEach(pair -> validSources.add(pair.source()));
        List<String> trainSources = first.train().select("source").as(Encoders.STRING()).collectAsList();
        assertEquals(400, trainSources.size() + first.valid().size());
        assertTrue(trainSources.stream().noneMatch(validSources::contains), "a source on both sides");
    }

    @Test
    void sharesAreBalancedOrderedAndTheSameInEveryRun() {
        Dataset<Row> corpus = corpus(spark, 101);
        BpeModel vocabulary = Vocabularies.learn(corpus, new RunConfig.Vocab(300, 2));
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<int[][]> shares = TrainingData.shares(corpus, context.broadcast(vocabulary), 3);
        List<List<int[][]>> partitions = shares.glom().collect();
        assertEquals(List.of(34, 34, 33), partitions.stream().map(List::size).toList());
        BpeTokenizer tokenizer = new BpeTokenizer(vocabulary);
        List<Row> rows = corpus.collectAsList();
        for (int p = 0; p < 3; p++) {
            for (int k = 0; k < partitions.get(p).size(); k++) {
                Row row = rows.get(3 * k + p); // round-robin in corpus order
                assertArrayEquals(tokenizer.encode(row.getString(0)), partitions.get(p).get(k)[0]);
                assertArrayEquals(tokenizer.encode(row.getString(1)), partitions.get(p).get(k)[1]);
            }
        }
        shares.unpersist();
    }

    @Test
    void vocabularyCountsWordsOfBothSides() {
        BpeModel vocabulary = Vocabularies.learn(corpus(spark, 200), new RunConfig.Vocab(500, 2));
        BpeTokenizer tokenizer = new BpeTokenizer(vocabulary);
        assertEquals(1, tokenizer.encode("fichier").length, "a frequent target word is one token");
        assertEquals(1, tokenizer.encode("folder").length, "a frequent source word is one token");
    }
}
