package dev.fulcrum.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.fulcrum.driver.LocalSpark;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.driver.data.Vocabularies;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.train.Replica;
import dev.fulcrum.model.transformer.Transformer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** A round on Spark equals, number for number, the mean of the replicas trained one by one from the same start. */
class ParameterAveragingTest {
    private static final Knobs KNOBS = new Knobs(0.1, 0.1, 0.9, 0.1, 0.0);
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("parameter-averaging-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void roundAveragesParametersAndOptimiserStateOfAllReplicas() {
        Dataset<Row> corpus = TrainingDataTest.corpus(spark, 120);
        BpeModel vocabulary = Vocabularies.learn(corpus, new RunConfig.Vocab(300, 2));
        ModelConfig model = new ModelConfig(vocabulary.vocabulary().size(), 16, 2, 32, 1, 1, 0.1, 0.1, 24,
                ModelConfig.SINKHORN, 2, false);
        TrainingConfig training = new TrainingConfig(3e-3, 5, 1.0, 160, 3);
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<int[][]> shares = TrainingData.shares(corpus, context.broadcast(vocabulary), 2);
        float[] parameters = Transformer.initialize(model, 3, DataType.FLOAT).parameters().flat().toFloatVector();
        float[] updater = new float[2 * parameters.length];

        ParameterAveraging averaging = ParameterAveraging.over(context, shares, model, training,
                new Parallelism(2, 1, 1));
        ParameterAveraging.Outcome outcome = averaging.round(1, parameters, updater, 4, KNOBS, 3);

        Replica.Start start = new Replica.Start(parameters, updater, 4, KNOBS, 3);
        List<List<int[][]>> partitions = shares.glom().collect();
        Replica.Result first = new Replica(model, training, partitions.get(0), 0, 1).train(start);
        Replica.Result second = new Replica(model, training, partitions.get(1), 1, 1).train(start);
        assertArrayEquals(mean(first.parameters(), second.parameters()), outcome.parameters(), 1e-6f);
        assertArrayEquals(mean(first.updaterState(), second.updaterState()), outcome.updaterState(), 1e-9f);
        assertEquals(2, outcome.replicas().size());
        assertEquals(first.tokens() + second.tokens(), outcome.tokens());
        assertEquals((first.lossSum() + second.lossSum()) / 6, outcome.meanLoss(), 1e-6);
        assertTrue(outcome.roundSeconds() >= outcome.trainSeconds());
        shares.unpersist();
    }

    private static float[] mean(float[] a, float[] b) {
        float[] mean = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            mean[i] = (a[i] + b[i]) * 0.5f;
        }
        return mean;
    }
}
