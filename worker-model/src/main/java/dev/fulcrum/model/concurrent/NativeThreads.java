package dev.fulcrum.model.concurrent;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Caps ND4J's native threads (its own OpenMP pool and OpenBLAS) at the cores one model thread owns. Spark runs
 * {@code executor cores / task cpus} tasks at once in an executor JVM, local[N] runs N in the driver's, and a task or
 * a decoder may run several model threads: without the cap each would start one native thread per machine core and
 * oversubscribe them.
 */
public final class NativeThreads {
    private static volatile int limit;

    private NativeThreads() {
    }

    public static synchronized void limit(int threads) {
        if (limit != threads) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
            limit = threads;
        }
    }

    /** The cap in force: the last one set, or ND4J's own default before any. */
    public static int current() {
        return limit > 0 ? limit : Nd4j.getEnvironment().maxMasterThreads();
    }
}
