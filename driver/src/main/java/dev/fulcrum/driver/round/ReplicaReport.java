package dev.fulcrum.driver.round;

import java.io.Serializable;

/**
 * What one replica did in a round (no parameters: those are summed). {@code lossSum} is over its steps that
 * were not skipped; {@code excluded}: its state was not finite and is not in the average.
 */
public record ReplicaReport(int partition, String executor, double lossSum, long tokens, int steps, int skippedSteps,
                            boolean excluded, double seconds, int droppedTooLong, double stepsPerEpoch)
        implements Serializable {
}
