package dev.fulcrum.driver.train;

import dev.fulcrum.driver.data.TrainingData;
import dev.fulcrum.driver.data.TrainingDataTest;
import dev.fulcrum.driver.round.ReplicaReport;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.fulcrum.driver.LocalSpark;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.driver.data.Vocabularies;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.train.FaultInjection;
import dev.fulcrum.model.train.Replica;
import dev.fulcrum.model.transformer.Transformer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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

    /** Two replicas over a small corpus, and the fresh state a round starts from. */
    private record Setup(ModelConfig model, TrainingConfig training, JavaRDD<int[][]> shares,
                         ParameterAveraging averaging, float[] parameters, float[] updater) {
        static Setup of() {
            Dataset<Row> corpus = TrainingDataTest.corpus(spark, 120);
            BpeModel vocabulary = Vocabularies.learn(corpus, new RunConfig.Vocab(300, 2));
            ModelConfig model = new ModelConfig(vocabulary.vocabulary().size(), 16, 2, 32, 1, 1, 0.1, 0.1, 24,
                    ModelConfig.SINKHORN, 2, false);
            TrainingConfig training = new TrainingConfig(3e-3, 5, 1.0, 160, 3);
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            JavaRDD<int[][]> shares = TrainingData.shares(corpus, context.broadcast(vocabulary), 2);
            float[] parameters = Transformer.initialize(model, 3, DataType.FLOAT).parameters().flat().toFloatVector();
            return new Setup(model, training, shares, ParameterAveraging.over(context, shares, model, training,
                    new Parallelism(2, 1, 1)), parameters, new float[2 * parameters.length]);
        }

        ParameterAveraging.Outcome round() {
            return averaging.round(1, parameters, updater, 4, KNOBS, 3, 1.0);
        }

        Replica.Result trainAlone(int partition) {
            Replica.Start start = new Replica.Start(parameters, updater, 4, KNOBS, 3, 1.0);
            return new Replica(model, training, shares.glom().collect().get(partition), partition, 1).train(start);
        }
    }

    @AfterEach
    void disarm() {
        FaultInjection.clear();
    }

    @Test
    void roundAveragesParametersAndOptimiserStateOfAllReplicas() {
        Setup setup = Setup.of();
        ParameterAveraging.Outcome outcome = setup.round();

        Replica.Result first = setup.trainAlone(0);
        Replica.Result second = setup.trainAlone(1);
        assertArrayEquals(mean(first.parameters(), second.parameters()), outcome.parameters(), 1e-6f);
        assertArrayEquals(mean(first.updaterState(), second.updaterState()), outcome.updaterState(), 1e-9f);
        assertEquals(2, outcome.replicas().size());
        assertEquals(first.tokens() + second.tokens(), outcome.tokens());
        assertEquals((first.lossSum() + second.lossSum()) / 6, outcome.meanLoss(), 1e-6);
        assertTrue(outcome.roundSeconds() >= outcome.trainSeconds());
        setup.shares().unpersist();
    }

    @Test
    void aReplicaWhoseStateIsNotFiniteIsLeftOutOfTheAverage() {
        Setup setup = Setup.of();
        Replica.Result healthy = setup.trainAlone(0);
        FaultInjection.arm(new FaultInjection.Fault(FaultInjection.Target.PARAMETERS, 1, 5, 6, Float.NaN, true));

        ParameterAveraging.Outcome outcome = setup.round();

        assertArrayEquals(healthy.parameters(), outcome.parameters(), 0f);
        assertArrayEquals(healthy.updaterState(), outcome.updaterState(), 0f);
        assertEquals(List.of(false, true), outcome.replicas().stream()
                .sorted(java.util.Comparator.comparingInt(ReplicaReport::partition))
                .map(ReplicaReport::excluded).toList());

        FaultInjection.arm(new FaultInjection.Fault(FaultInjection.Target.PARAMETERS, 0, 6, 7, Float.POSITIVE_INFINITY, true),
                new FaultInjection.Fault(FaultInjection.Target.PARAMETERS, 1, 4, 5, Float.NaN, true));
        assertFalse(setup.round().averaged(), "no finite replica: no average");
        setup.shares().unpersist();
    }

    @Test
    void aStepWithANonFiniteGradientIsSkippedAndCounted() {
        Setup setup = Setup.of();
        FaultInjection.arm(new FaultInjection.Fault(FaultInjection.Target.GRADIENT, 1, 5, 6, Float.NaN, true));

        ParameterAveraging.Outcome outcome = setup.round();

        assertTrue(outcome.averaged());
        assertTrue(allFinite(outcome.parameters()) && allFinite(outcome.updaterState()));
        assertEquals(List.of(0, 1), outcome.replicas().stream()
                .sorted(java.util.Comparator.comparingInt(ReplicaReport::partition))
                .map(ReplicaReport::skippedSteps).toList());
        assertTrue(Double.isFinite(outcome.meanLoss()));
        setup.shares().unpersist();
    }

    private static boolean allFinite(float[] values) {
        for (float value : values) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    private static float[] mean(float[] a, float[] b) {
        float[] mean = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            mean[i] = (a[i] + b[i]) * 0.5f;
        }
        return mean;
    }
}
