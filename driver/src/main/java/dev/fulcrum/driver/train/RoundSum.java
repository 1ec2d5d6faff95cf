package dev.fulcrum.driver.train;

import dev.fulcrum.driver.round.ReplicaReport;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The running sum of replica updates that {@code treeAggregate} builds on the executors, so that the driver
 * receives one summed state per tree level instead of every replica's full state. A replica whose parameters or
 * optimiser state are not finite is left out of the sum (and reported as excluded): one diverging replica must
 * not poison the average of the others.
 */
final class RoundSum implements Serializable {
    private float[] parameters;
    private float[] updaterState;
    private final List<ReplicaReport> replicas = new ArrayList<>();
    private int summed;


    RoundSum add(ReplicaUpdate update) {
        boolean finite = allFinite(update.parameters()) && allFinite(update.updaterState());
        if (finite) {
            parameters = addInto(parameters, update.parameters());
            updaterState = addInto(updaterState, update.updaterState());
            summed++;
        }
        replicas.add(new ReplicaReport(update.partition(), update.executor(), update.lossSum(), update.tokens(),
                update.steps(), update.skippedSteps(), !finite, update.seconds(), update.droppedTooLong(),
                update.stepsPerEpoch()));
        return this;
    }

    RoundSum merge(RoundSum other) {
        if (other.parameters != null) {
            parameters = addInto(parameters, other.parameters);
            updaterState = addInto(updaterState, other.updaterState);
        }
        summed += other.summed;
        replicas.addAll(other.replicas);
        return this;
    }

    List<ReplicaReport> replicas() {
        return replicas;
    }

    /** The mean of the summed parameters; {@code null} when no replica trained or none was finite. */
    float[] meanParameters() {
        return divided(parameters);
    }

    float[] meanUpdaterState() {
        return divided(updaterState);
    }

    private float[] divided(float[] sum) {
        if (sum == null) {
            return null;
        }
        float inverse = 1f / summed;
        for (int i = 0; i < sum.length; i++) {
            sum[i] *= inverse;
        }
        return sum;
    }

    private static boolean allFinite(float[] values) {
        for (float value : values) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    /** Adds {@code values} into {@code sum} in place; the first addend is copied, never aliased. */
    private static float[] addInto(float[] sum, float[] values) {
        if (sum == null) {
            return values.clone();
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += values[i];
        }
        return sum;
    }
}
