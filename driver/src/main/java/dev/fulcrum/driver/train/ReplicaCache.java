package dev.fulcrum.driver.train;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.fulcrum.model.train.Replica;

/**
 * Replicas kept alive in an executor JVM between rounds, so that a round does not rebuild the graphs or
 * re-batch the data. Keyed by run and partition: the cached copy of partition p lives on one executor and
 * Spark schedules p's task there (locality); on another executor the replica is simply built again, with
 * the same result, because a replica's behaviour depends only on its data, its index and the start state.
 */
final class ReplicaCache {
    private static final Map<String, Replica> REPLICAS = new ConcurrentHashMap<>();

    private ReplicaCache() {
    }

    static Replica get(ReplicaSpec spec, int partition, Iterator<int[][]> pairs) {
        return REPLICAS.computeIfAbsent(spec.runId() + "/" + partition, key -> {
            evictOtherRuns(spec.runId());
            List<int[][]> share = new java.util.ArrayList<>();
            pairs.forEachRemaining(share::add);
            return new Replica(spec.model(), spec.training(), share, partition);
        });
    }

    /** A new run in the same JVM (notebooks, tests) must not keep the previous run's models alive. */
    private static void evictOtherRuns(String runId) {
        REPLICAS.entrySet().removeIf(entry -> {
            boolean other = !entry.getKey().startsWith(runId + "/");
            if (other) {
                entry.getValue().close();
            }
            return other;
        });
    }
}
