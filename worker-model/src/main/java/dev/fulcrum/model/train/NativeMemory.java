package dev.fulcrum.model.train;

import java.util.Collection;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps ND4J's off-heap memory bounded. ND4J frees an array's native buffer only when the Java object is
 * garbage-collected, and a training step leaves ~100 MB to several hundred MB of native arrays (SameDiff's
 * intermediates) behind a few kilobytes of heap, so the collector hardly ever runs: an executor training the
 * base model grew to 16 GB resident in ~70 steps and was killed. ND4J's own remedy, periodic GC, is a no-op
 * on the CPU backend ({@code CpuMemoryManager.isPeriodicGcActive()} is always false in M2.1), so Fulcrum
 * collects itself: after a step, when the process's resident memory has grown by more than
 * {@link #growthBytes} since the last collection. glibc (with our tunables) keeps freed memory for reuse, so
 * after a collection the resident size stays flat until the garbage of a few steps outgrows what was freed:
 * collections happen only when memory would otherwise grow.
 */
public final class NativeMemory {
    /** System property: resident growth in MB between two collections (default {@value #DEFAULT_GROWTH_MB}). */
    public static final String GROWTH_PROPERTY = "fulcrum.nativeGcGrowthMb";
    private static final long DEFAULT_GROWTH_MB = 512;
    private static final long MB = 1L << 20;

    private static final long growthBytes = Long.getLong(GROWTH_PROPERTY, DEFAULT_GROWTH_MB) * MB;
    private static long residentAfterLastCollection = Pointer.physicalBytes();
    private static long collections;

    private NativeMemory() {
    }

    /** Collects garbage (and with it dead native buffers) when resident memory grew past the allowance. */
    public static synchronized void collectWhenGrown() {
        if (Pointer.physicalBytes() - residentAfterLastCollection > growthBytes) {
            System.gc();
            collections++;
            residentAfterLastCollection = Pointer.physicalBytes();
        }
    }

    /** Collections made so far in this JVM (for tests and benchmarks). */
    public static synchronized long collections() {
        return collections;
    }

    /** Frees the native buffers of arrays nothing refers to any more (views and closed arrays are skipped). */
    @SafeVarargs
    public static void release(Collection<INDArray>... groups) {
        for (Collection<INDArray> arrays : groups) {
            for (INDArray array : arrays) {
                if (array != null && array.closeable()) {
                    array.close();
                }
            }
        }
    }
}
