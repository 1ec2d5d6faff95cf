package dev.fulcrum.model.concurrent;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * The long-lived threads models run on (SameDiff keeps one session per graph and calling thread, so a model copy
 * stays on one thread for life): daemon threads, so that they never keep a finished JVM alive, and waiting for
 * their work with its exception rethrown as it was.
 */
public final class Threads {
    private Threads() {
    }

    /** A factory of daemon threads named {@code name}. */
    public static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The result of {@code work}; its runtime exception rethrown unwrapped; {@code doing} names it otherwise. */
    public static <T> T await(Future<T> work, String doing) {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
