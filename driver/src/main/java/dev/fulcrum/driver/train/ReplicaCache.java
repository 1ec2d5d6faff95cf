package dev.fulcrum.driver.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

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

    static Replica get(ReplicaSpec spec, int partition, Iterator<int[][]> pairs) {
        return REPLICAS.get(spec.runId(), partition, () -> {
            List<int[][]> share = new ArrayList<>();
            pairs.forEachRemaining(share::add);
            return new Replica(spec.model(), spec.training(), share, partition,
                    spec.parallelism().threads());
        });
    }
}
