package dev.fulcrum.driver.train;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Values kept per (run, partition) in one JVM, holding only the current run's: the first lookup of a new run
 * closes and drops every other run's values (notebooks and tests run one training after another in a JVM).
 * Safe for the concurrent tasks of one run.
 */
final class RunScopedCache<V extends AutoCloseable> {
    private final Map<String, V> values = new ConcurrentHashMap<>();

    /** The value of {@code partition} in run {@code runId}, built by {@code build} on first use. */
    V get(String runId, int partition, Supplier<V> build) {
        // Evicting from inside computeIfAbsent would update other mappings from a mapping function, which
        // ConcurrentHashMap forbids: two tasks of a new run then deadlocked on each other's bins (a CI hang),
        // and a new value sharing a bin with an evicted one was silently not stored.
        evictOtherRuns(runId);
        return values.computeIfAbsent(runId + "/" + partition, key -> build.get());
    }

    int size() {
        return values.size();
    }

    private void evictOtherRuns(String runId) {
        values.entrySet().removeIf(entry -> {
            boolean other = !entry.getKey().startsWith(runId + "/");
            if (other) {
                close(entry.getValue());
            }
            return other;
        });
    }

    private static void close(AutoCloseable value) {
        try {
            value.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing a cached value of an earlier run: " + e.getMessage(), e);
        }
    }
}
