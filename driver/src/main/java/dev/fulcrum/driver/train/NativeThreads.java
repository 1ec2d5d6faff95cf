package dev.fulcrum.driver.train;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Caps ND4J's native threads (its own OpenMP pool and OpenBLAS) at the cores one task owns. Spark runs
 * {@code executor cores / task cpus} tasks at once in an executor JVM, and local[N] runs N in the driver's:
 * without the cap every task would start one native thread per machine core and oversubscribe them.
 */
final class NativeThreads {
    private static volatile int limit;

    private NativeThreads() {
    }

    static synchronized void limit(int threads) {
        if (limit != threads) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
            limit = threads;
        }
    }

    static int current() {
        return limit;
    }
}
