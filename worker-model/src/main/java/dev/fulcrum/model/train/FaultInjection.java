package dev.fulcrum.model.train;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A test hook that makes training go wrong on purpose, so that fault-injection tests can prove the run survives
 * it (docs/reliability.md). Nothing in the product sets it; with no fault set it costs one volatile read per step.
 * Faults are per process: in local mode the executors are the test's own JVM.
 */
public final class FaultInjection {
    /** Where a fault lands. */
    public enum Target {
        /** The step's averaged gradient, before clipping: the step must be skipped. */
        GRADIENT,
        /** The parameters after the step's update: the replica's round result must be left out. */
        PARAMETERS,
        /** The step throws before it starts, as a lost or crashing task would: Spark must retry the task. */
        FAILURE
    }

    /** Thrown by an armed {@link Target#FAILURE}. */
    public static final class InjectedFailure extends RuntimeException {
        InjectedFailure(long replica, long step) {
            super("injected failure of replica " + replica + " at step " + step);
        }
    }

    /**
     * Writes {@code value} into {@code target} of replica {@code replica} at global steps in [from, to); a step
     * taken again after a roll-back is hit again only when {@code againOnReplay} (a fault that keeps recurring,
     * against one that happened once).
     */
    public record Fault(Target target, long replica, long from, long to, float value, boolean againOnReplay) {
        boolean hits(Target where, long atReplica, long atStep) {
            return target == where && replica == atReplica && atStep >= from && atStep < to;
        }
    }

    private static volatile Fault[] faults = new Fault[0];
    /** The (fault, step) pairs that have fired, for faults that fire once per step. */
    private static final Set<String> FIRED = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger FIRES = new AtomicInteger();

    private FaultInjection() {
    }

    /** Arms these faults (replacing any armed before). */
    public static void arm(Fault... armed) {
        FIRED.clear();
        FIRES.set(0);
        faults = armed.clone();
    }

    public static void clear() {
        arm();
    }

    /** Applies the faults armed for {@code where}, replica and step to {@code values} (its first element). */
    static void apply(Target where, long replica, long step, INDArray values) {
        for (Fault fault : faults) {
            if (fires(fault, where, replica, step)) {
                values.putScalar(0, fault.value());
            }
        }
    }

    /** @throws InjectedFailure when a {@link Target#FAILURE} is armed for this replica and step */
    static void failIfArmed(long replica, long step) {
        for (Fault fault : faults) {
            if (fires(fault, Target.FAILURE, replica, step)) {
                throw new InjectedFailure(replica, step);
            }
        }
    }

    private static boolean fires(Fault fault, Target where, long replica, long step) {
        boolean fires = fault.hits(where, replica, step) && (fault.againOnReplay() || FIRED.add(fault + "@" + step));
        if (fires) {
            FIRES.incrementAndGet();
        }
        return fires;
    }

    /** How many times the armed faults have fired: a test's proof that its fault happened at all. */
    public static int fired() {
        return FIRES.get();
    }
}
