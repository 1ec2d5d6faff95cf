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
 * after a collection the resident size stays flat while the garbage fits into what was freed.
 *
 * <p>The allowance is small on purpose: every page of new resident memory is a page fault the kernel must zero,
 * and on this VM kind faults plus zeroing took ~1/3 of a step's CPU samples with a 512 MB allowance (perf).
 * Collecting as soon as memory grows recycles freed buffers instead: the reference-size step went from
 * 1.39 to 1.13 s (mean of steps 11-40) and its resident size from 7.9 to 5.0 GB (docs/benchmarks.md).
 */
public final class NativeMemory {
    /** System property: resident growth in MB between two collections (default {@value #DEFAULT_GROWTH_MB}). */
    public static final String GROWTH_PROPERTY = "fulcrum.nativeGcGrowthMb";
    private static final long DEFAULT_GROWTH_MB = 1;
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
