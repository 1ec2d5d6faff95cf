package dev.fulcrum.driver.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

import dev.fulcrum.model.train.Replica;

/**
 * Replicas kept alive in an executor JVM between rounds, so that a round does not rebuild the graphs or
 * re-batch the data. Keyed by run and partition: the cached copy of partition p lives on one executor and
 * Spark schedules p's task there (locality); on another executor the replica is simply built again, with
 * the same result, because a replica's behaviour depends only on its data, its index and the start state.
 */
final class ReplicaCache {
    private static final RunScopedCache<Replica> REPLICAS = new RunScopedCache<>();

    private ReplicaCache() {
    }

    /** Runs {@code work} on run {@code spec}'s replica of {@code partition}, built from {@code pairs} if needed. */
    static <R> R use(ReplicaSpec spec, int partition, Iterator<int[][]> pairs, Function<Replica, R> work) {
        return REPLICAS.use(spec.runId(), partition, () -> {
            List<int[][]> share = new ArrayList<>();
            pairs.forEachRemaining(share::add);
            return new Replica(spec.model(), spec.training(), share, partition, spec.parallelism().threads());
        }, work);
    }

    /** Frees the replicas of run {@code runId} held in this JVM: the run has ended. */
    static void release(String runId) {
        REPLICAS.release(runId);
    }
}
