package dev.fulcrum.driver.train;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Values kept per (run, partition) in one JVM, for every run in progress: two trainings in one Spark application
 * (a notebook fitting two models) each keep their own. A run releases its values when it ends; values no task
 * has used for {@link #IDLE} are closed at the next lookup of any run (a driver that died, or an executor the
 * release did not reach), but never while a task is using them. Safe for concurrent tasks.
 */
final class RunScopedCache<V extends AutoCloseable> {
    /**
     * Longer than a driver spends between two rounds of one run (validation, BLEU decoding, a checkpoint): an
     * evicted value is only rebuilt, with the same result, but rebuilding costs the graphs' construction.
     */
    static final Duration IDLE = Duration.ofMinutes(30);

    /** A cached value, how many tasks are using it, and since when nobody has (nanoTime). */
    private static final class Entry<V> {
        final V value;
        int users;
        long idleSince = System.nanoTime();

        Entry(V value) {
            this.value = value;
        }
    }

    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Duration idle;

    RunScopedCache() {
        this(IDLE);
    }

    RunScopedCache(Duration idle) {
        this.idle = idle;
    }

    /**
     * Runs {@code work} on the value of {@code partition} in run {@code runId}, built by {@code build} on first
     * use; the value cannot be evicted while {@code work} runs.
     */
    <R> R use(String runId, int partition, Supplier<V> build, Function<V, R> work) {
        evictIdle(System.nanoTime());
        // Counting users inside compute makes "in use" and eviction atomic per key. Nothing here updates
        // another key from inside a mapping function, which ConcurrentHashMap forbids (it once deadlocked two
        // tasks of a new run on each other's bins).
        Entry<V> entry = entries.compute(key(runId, partition), (key, old) -> {
            Entry<V> used = old == null ? new Entry<>(build.get()) : old;
            used.users++;
            return used;
        });
        try {
            return work.apply(entry.value);
        } finally {
            entries.computeIfPresent(key(runId, partition), (key, used) -> {
                used.users--;
                used.idleSince = System.nanoTime();
                return used;
            });
        }
    }

    /** Closes and drops run {@code runId}'s values that no task is using (a finished run's). */
    void release(String runId) {
        entries.keySet().stream().filter(key -> key.startsWith(runId + "/"))
                .forEach(key -> removeIf(key, entry -> entry.users == 0));
    }

    int size() {
        return entries.size();
    }

    private void evictIdle(long now) {
        long idleNanos = idle.toNanos();
        entries.keySet().forEach(key -> removeIf(key, entry -> entry.users == 0 && now - entry.idleSince > idleNanos));
    }

    private void removeIf(String key, java.util.function.Predicate<Entry<V>> evictable) {
        entries.computeIfPresent(key, (k, entry) -> {
            if (!evictable.test(entry)) {
                return entry;
            }
            close(entry.value);
            return null;
        });
    }

    private static String key(String runId, int partition) {
        return runId + "/" + partition;
    }

    private static void close(AutoCloseable value) {
        try {
            value.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing a cached value: " + e.getMessage(), e);
        }
    }
}
