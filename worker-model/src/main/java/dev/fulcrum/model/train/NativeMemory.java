package dev.fulcrum.model.train;

import java.util.Collection;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps ND4J's off-heap memory bounded and recycled. ND4J frees an array's native buffer only when the Java object
 * is garbage-collected, and a training step leaves several hundred MB of native arrays (SameDiff's intermediates)
 * behind a few kilobytes of heap, so the collector hardly ever runs on its own: an executor training the base
 * model grew to 16 GB resident in ~70 steps and was killed. ND4J's own remedy, periodic GC, is a no-op on the CPU
 * backend ({@code CpuMemoryManager.isPeriodicGcActive()} is always false in M2.1), so Fulcrum collects itself:
 * after every training step, and in decoding and evaluation loops (whose iterations leave little garbage each)
 * whenever resident memory has grown since the last collection.
 *
 * <p>Every step, not only when memory grew: glibc (with our tunables) keeps freed memory for reuse, so a step
 * that starts after a collection finds the previous step's buffers free and maps no new pages. A step that starts
 * without one must take a whole step's worth of fresh pages, each a page fault the kernel zeroes (~16 µs each on
 * this VM kind; 45,000-200,000 of them in such a step). Collecting only after resident memory grew (the previous
 * policy) skipped every other collection and paid those storms: reference-size step 1,190-1,285 ms mean and
 * 4.9-5.9 GB resident, against 904-948 ms and 2.9 GB collecting every step, whose full GC costs 40-90 ms
 * (docs/benchmarks.md).
 */
public final class NativeMemory {
    private static final long GROWTH_ALLOWANCE_BYTES = 1L << 20;
    private static long residentAfterLastCollection = Pointer.physicalBytes();
    private static long collections;
    private static long collectionNanos;
    private static long lastCollectionStart = Long.MIN_VALUE;

    private NativeMemory() {
    }

    /**
     * Collects garbage, and with it the dead native buffers of the training step that began at
     * {@code stepStart} ({@link System#nanoTime()}) and just ended. Skipped when another replica in this JVM
     * (Spark local mode) started a collection after that step began: a collection stops and serves every
     * replica, and two per step pair cost the embedded default job a quarter of its speed.
     */
    public static synchronized void collectAfterStep(long stepStart) {
        if (lastCollectionStart < stepStart) {
            collect();
        }
    }

    private static void collect() {
        long start = System.nanoTime();
        lastCollectionStart = start;
        System.gc();
        collectionNanos += System.nanoTime() - start;
        collections++;
        residentAfterLastCollection = Pointer.physicalBytes();
    }

    /** Collects when resident memory grew by more than 1 MB since the last collection (for loops of small steps). */
    public static synchronized void collectWhenGrown() {
        if (Pointer.physicalBytes() - residentAfterLastCollection > GROWTH_ALLOWANCE_BYTES) {
            collect();
        }
    }

    /** Collections made so far in this JVM (for tests and benchmarks). */
    public static synchronized long collections() {
        return collections;
    }

    /** Wall time spent in those collections so far, in seconds (for benchmarks: what collecting costs). */
    public static synchronized double collectionSeconds() {
        return collectionNanos / 1e9;
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
