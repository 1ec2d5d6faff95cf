package dev.fulcrum.driver.train;

import dev.fulcrum.driver.round.ReplicaReport;
import java.util.List;
import java.util.UUID;

import dev.fulcrum.driver.round.RunException;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.train.Replica;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous parameter averaging over Spark (DESIGN's fallback, ADR 0002): every round the driver
 * broadcasts the averaged parameters, optimiser state and knobs; each partition's replica takes
 * {@code steps} steps on its share of the data; {@code treeAggregate} sums the replicas' parameters and
 * optimiser states, and the driver divides by the number of replicas.
 */
public final class ParameterAveraging {
    private final JavaSparkContext spark;
    private final JavaRDD<int[][]> shares;
    private final ReplicaSpec spec;

    /**
     * The averaged state after a round, and what every replica did; parameters and optimiser state are
     * {@code null} when no replica's state was finite (see {@link RoundSum}).
     */
    public record Outcome(float[] parameters, float[] updaterState, List<ReplicaReport> replicas,
                          double broadcastSeconds, double roundSeconds) {
        /** Mean training loss over the steps that were not skipped; NaN when every step was. */
        public double meanLoss() {
            double loss = replicas.stream().mapToDouble(ReplicaReport::lossSum).sum();
            int steps = replicas.stream().mapToInt(r -> r.steps() - r.skippedSteps()).sum();
            return steps == 0 ? Double.NaN : loss / steps;
        }

        /** Whether the round produced an average: at least one replica's state was finite. */
        public boolean averaged() {
            return parameters != null;
        }

        public long tokens() {
            return replicas.stream().mapToLong(ReplicaReport::tokens).sum();
        }

        /** Wall-clock seconds the slowest replica spent training; the rest of the round is overhead. */
        public double trainSeconds() {
            return replicas.stream().mapToDouble(ReplicaReport::seconds).max().orElse(0);
        }
    }

    /**
     * Averaging over {@code shares} (one cached partition per replica, see {@link TrainingData#shares}); each
     * replica trains with the gradient workers and native threads of {@code parallelism}.
     */
    public static ParameterAveraging over(JavaSparkContext spark, JavaRDD<int[][]> shares, ModelConfig model,
                                          TrainingConfig training, Parallelism parallelism) {
        if (shares.getNumPartitions() != parallelism.replicas()) {
            throw new IllegalArgumentException(shares.getNumPartitions() + " shares for " + parallelism);
        }
        ReplicaSpec spec = new ReplicaSpec(UUID.randomUUID().toString(), model, training, parallelism);
        return new ParameterAveraging(spark, shares, spec);
    }

    ParameterAveraging(JavaSparkContext spark, JavaRDD<int[][]> shares, ReplicaSpec spec) {
        this.spark = spark;
        this.shares = shares;
        this.spec = spec;
    }

    /**
     * Frees this run's replicas on the executors: one task per share, which Spark schedules where the share (and
     * so its replica) is cached; a replica this misses is freed once idle (see {@link RunScopedCache}).
     */
    public void release() {
        String runId = spec.runId();
        spark.setJobDescription("free the replicas of a finished run");
        shares.mapPartitions(pairs -> {
            ReplicaCache.release(runId);
            return java.util.Collections.<Integer>emptyIterator();
        }, true).count();
    }

    public int replicas() {
        return shares.getNumPartitions();
    }

    /** One round from the given state; {@code learningRateScale} multiplies the schedule's rate (≤ 1). */
    public Outcome round(int round, float[] parameters, float[] updaterState, long step, Knobs knobs, int steps,
                         double learningRateScale) {
        long began = System.nanoTime();
        spark.setJobDescription("round " + round + ": broadcast the averaged model");
        Broadcast<Replica.Start> start = spark.broadcast(new Replica.Start(parameters, updaterState, step, knobs,
                steps, learningRateScale));
        double broadcastSeconds = (System.nanoTime() - began) / 1e9;
        spark.setJobDescription("round " + round + ": " + steps + " steps on each of " + replicas()
                + " replicas, then sum their parameters and optimiser states");
        RoundSum sum = shares.mapPartitionsWithIndex(new ReplicaTask(spec, start), true)
                .treeAggregate(new RoundSum(), RoundSum::add, RoundSum::merge);
        start.destroy();
        if (sum.replicas().isEmpty()) {
            throw new RunException("no replica could train: every sentence pair is longer than "
                    + "model.maxLength = " + spec.model().maxLength() + " tokens");
        }
        return new Outcome(sum.meanParameters(), sum.meanUpdaterState(), sum.replicas(), broadcastSeconds,
                (System.nanoTime() - began) / 1e9);
    }
}
