package dev.fulcrum.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class RunScopedCacheTest {
    private static final int RUNS = 60; // enough for new keys to share hash bins with evicted ones

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
    void runsKeepTheirOwnValuesUntilReleased() {
        RunScopedCache<Value> cache = new RunScopedCache<>();
        Value first = cache.use("run-a", 0, Value::new, value -> value);
        Value second = cache.use("run-b", 0, Value::new, value -> value);
        assertSame(first, cache.use("run-a", 0, Value::new, value -> value), "run-b did not evict run-a's value");
        assertSame(second, cache.use("run-b", 0, Value::new, value -> value));
        assertEquals(2, cache.size());

        cache.release("run-a");
        assertTrue(first.closed);
        assertTrue(!second.closed);
        assertEquals(1, cache.size());
    }

    @Test
    void idleValuesAreClosedButNeverWhileInUse() throws Exception {
        RunScopedCache<Value> cache = new RunScopedCache<>(Duration.ofMillis(50));
        Value idle = cache.use("idle-run", 0, Value::new, value -> value);
        CountDownLatch inUse = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService task = Executors.newSingleThreadExecutor();
        try {
            Future<Value> busy = task.submit(() -> cache.use("busy-run", 0, Value::new, value -> {
                inUse.countDown();
                await(finish);
                return value;
            }));
            inUse.await();
            Thread.sleep(120);
            Value other = cache.use("new-run", 0, Value::new, value -> value);
            assertTrue(idle.closed, "idle longer than the limit: closed");
            finish.countDown();
            assertTrue(!busy.get().closed, "in use for longer than the limit, but in use: kept");
            assertTrue(!other.closed);
            cache.release("busy-run");
            assertTrue(busy.get().closed);
        } finally {
            task.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void concurrentTasksOfManyRunsFinish() {
        RunScopedCache<Value> cache = new RunScopedCache<>(Duration.ZERO); // every lookup evicts what is idle
        ExecutorService tasks = Executors.newFixedThreadPool(2);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int run = 0; run < RUNS; run++) {
                    String runId = "run-" + run;
                    int before = Value.BUILT.get();
                    List<Future<Boolean>> lookups = new ArrayList<>();
                    for (int partition = 0; partition < 2; partition++) {
                        int p = partition;
                        lookups.add(tasks.submit(() -> cache.use(runId, p, Value::new, value -> !value.closed)));
                    }
                    for (Future<Boolean> lookup : lookups) {
                        assertTrue(lookup.get(), runId + ": a value is open while a task uses it");
                    }
                    assertEquals(2, Value.BUILT.get() - before, runId + ": one value built per partition");
                }
            }, "concurrent tasks deadlocked while evicting idle values");
        } finally {
            tasks.shutdownNow();
        }
    }
}
