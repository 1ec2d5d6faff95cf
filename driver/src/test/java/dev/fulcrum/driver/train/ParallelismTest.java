package dev.fulcrum.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fulcrum.driver.config.RunConfig;
import org.junit.jupiter.api.Test;

/** How replicas, gradient threads and native threads follow from the configuration and Spark's cores. */
class ParallelismTest {
    private static RunConfig.Averaging rounds(int replicas, int threadsPerReplica) {
        return new RunConfig.Averaging(10, 20, replicas, threadsPerReplica, 0);
    }

    @Test
    void localModeDefaultsToOneReplicaWithAGradientThreadPerCore() {
        assertEquals(new Parallelism(1, 2, 1), Parallelism.of(rounds(0, 0), true, 2, 1));
        assertEquals(new Parallelism(1, 8, 1), Parallelism.of(rounds(0, 0), true, 8, 1));
    }

    @Test
    void localReplicasShareTheCores() {
        assertEquals(new Parallelism(2, 1, 1), Parallelism.of(rounds(2, 0), true, 2, 1));
        assertEquals(new Parallelism(2, 2, 1), Parallelism.of(rounds(2, 0), true, 4, 1));
        assertEquals(new Parallelism(4, 1, 1), Parallelism.of(rounds(4, 0), true, 2, 1), "more replicas than cores");
    }

    @Test
    void fewerThreadsThanCoresGetMoreNativeThreadsEach() {
        assertEquals(new Parallelism(1, 1, 2), Parallelism.of(rounds(0, 1), true, 2, 1));
        assertEquals(new Parallelism(1, 3, 1), Parallelism.of(rounds(0, 3), true, 2, 1), "oversubscribed");
    }

    @Test
    void aClusterRunsOneReplicaPerTaskWithAThreadPerTaskCore() {
        assertEquals(new Parallelism(2, 1, 1), Parallelism.of(rounds(0, 0), false, 2, 1));
        assertEquals(new Parallelism(3, 4, 1), Parallelism.of(rounds(0, 0), false, 12, 4));
        assertEquals(new Parallelism(5, 4, 1), Parallelism.of(rounds(5, 0), false, 12, 4));
    }

    @Test
    void stepConsumesAMinibatchPerThreadOfEveryReplica() {
        assertEquals(6, new Parallelism(3, 2, 1).minibatchesPerStep());
    }
}
