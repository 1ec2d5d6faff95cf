package dev.fulcrum.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class RunScopedCacheTest {
    private static final int RUNS = 60;

    /** Stands in for a replica: counts how many were built and remembers whether it was closed. */
    private static final class Value implements AutoCloseable {
        static final AtomicInteger BUILT = new AtomicInteger();
        volatile boolean closed;

        Value() {
            BUILT.incrementAndGet();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void eachRunKeepsOneValuePerPartitionAndClosesTheRunBefore() {
        RunScopedCache<Value> cache = new RunScopedCache<>();
        List<Value> previous = List.of();
        // Many runs, so that some new keys share a hash bin with the evicted ones (that case once lost values).
        for (int run = 0; run < RUNS; run++) {
            String runId = "run-" + run;
            List<Value> current = new ArrayList<>();
            for (int partition = 0; partition < 2; partition++) {
                Value value = cache.get(runId, partition, Value::new);
                assertSame(value, cache.get(runId, partition, Value::new), runId + " partition " + partition
                        + ": a second lookup in the same run returns the cached value");
                current.add(value);
            }
            assertEquals(2, cache.size(), "only " + runId + "'s values are kept");
            previous.forEach(value -> assertTrue(value.closed, "an earlier run's value is closed"));
            current.forEach(value -> assertTrue(!value.closed, "the current run's values stay open"));
            previous = current;
        }
    }

    @Test
    void concurrentTasksOfANewRunFinish() {
        RunScopedCache<Value> cache = new RunScopedCache<>();
        ExecutorService tasks = Executors.newFixedThreadPool(2);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int run = 0; run < RUNS; run++) {
                    String runId = "run-" + run;
                    int before = Value.BUILT.get();
                    List<Future<Value>> lookups = new ArrayList<>();
                    for (int partition = 0; partition < 2; partition++) {
                        int p = partition;
                        lookups.add(tasks.submit(() -> cache.get(runId, p, Value::new)));
                    }
                    for (Future<Value> lookup : lookups) {
                        assertTrue(!lookup.get().closed, runId);
                    }
                    assertEquals(2, Value.BUILT.get() - before, runId + ": one value built per partition");
                    assertEquals(2, cache.size(), runId);
                }
            }, "the tasks of a new run deadlocked while evicting the previous run");
        } finally {
            tasks.shutdownNow();
        }
    }
}
