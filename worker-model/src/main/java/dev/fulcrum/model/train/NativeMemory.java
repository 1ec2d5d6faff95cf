package dev.fulcrum.model.train;

import java.util.Collection;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keeps ND4J's off-heap memory bounded. ND4J frees an array's native buffer only when the Java object is
 * garbage-collected, and a training step allocates ~100 MB of native arrays (feeds, dropout masks,
 * gradients) behind a few kilobytes of heap: with a roomy heap the collector hardly runs and an executor
 * grew to 16.6 GB resident before the kernel killed it (base model, 4 GB heap). Per-step arrays are
 * therefore closed as soon as they are consumed, and ND4J's periodic collection backs that up for the
 * arrays SameDiff allocates internally. SameDiff also keeps one session per graph and thread, each caching
 * freed arrays for reuse up to a quarter of the machine's memory: a graph must always run on the same
 * thread (see {@link Replica}), or every new thread adds a cache.
 */
public final class NativeMemory {
    /** Milliseconds between ND4J's periodic collections: ~1 full GC of a small heap every few steps. */
    private static final int GC_WINDOW_MS = 5_000;
    private static volatile boolean bounded;

    private NativeMemory() {
    }

    /** Turns ND4J's periodic garbage collection on, once per JVM. */
    public static synchronized void bound() {
        if (!bounded) {
            Nd4j.getMemoryManager().setAutoGcWindow(GC_WINDOW_MS);
            Nd4j.getMemoryManager().togglePeriodicGc(true);
            bounded = true;
        }
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
