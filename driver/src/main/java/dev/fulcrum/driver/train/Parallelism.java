package dev.fulcrum.driver.train;

import java.io.Serializable;

import dev.fulcrum.driver.config.RunConfig;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * How a run spreads over the cores Spark gives it, at two levels (as DL4J's ParallelWrapper under Spark): replicas
 * are Spark tasks whose parameters are averaged every {@code train.stepsPerRound} steps; inside a replica,
 * {@code threads} gradient workers average their gradients every step (one model, a bigger batch, nothing learned
 * thrown away), each running ND4J with {@code nativeThreads} native threads.
 *
 * <p>Defaults: in local mode one replica with a worker per core (averaging parameters inside one JVM only loses
 * learning: issue 14 measured valid perplexity 41 against 24 for two averaged replicas); on a cluster one replica
 * per task ({@code spark.task.cpus} cores: set it to the executor's cores for one replica per executor) and one
 * worker per core of the task.
 */
public record Parallelism(int replicas, int threads, int nativeThreads) implements Serializable {
    public Parallelism {
        if (replicas < 1 || threads < 1 || nativeThreads < 1) {
            throw new IllegalArgumentException("replicas, threads and native threads must be positive");
        }
    }

    public static Parallelism of(RunConfig.Averaging settings, JavaSparkContext spark) {
        return of(settings, spark.sc().isLocal(), spark.defaultParallelism(),
                spark.getConf().getInt("spark.task.cpus", 1));
    }

    /**
     * @param cores     the local cores ({@code local[N]}) or the cluster's total executor cores
     * @param taskCores {@code spark.task.cpus} (a cluster task's cores; ignored in local mode)
     */
    static Parallelism of(RunConfig.Averaging settings, boolean local, int cores, int taskCores) {
        int replicas = settings.replicas() > 0 ? settings.replicas() : local ? 1 : Math.max(1, cores / taskCores);
        int coresPerReplica = local ? Math.max(1, cores / Math.min(replicas, cores)) : taskCores;
        int threads = settings.threadsPerReplica() > 0 ? settings.threadsPerReplica() : coresPerReplica;
        return new Parallelism(replicas, threads, Math.max(1, coresPerReplica / threads));
    }

    /** Minibatches one optimisation step of the whole run consumes. */
    public int minibatchesPerStep() {
        return replicas * threads;
    }

    @Override
    public String toString() {
        return replicas + (replicas == 1 ? " replica" : " replicas") + " × " + threads
                + (threads == 1 ? " gradient thread" : " gradient threads") + " (" + nativeThreads + " native "
                + (nativeThreads == 1 ? "thread" : "threads") + " each)";
    }
}
