package dev.fulcrum.driver.train;

import java.io.Serializable;

/** What one replica sends back after a round: its state and what it did, and where it ran. */
record ReplicaUpdate(int partition, float[] parameters, float[] updaterState, double lossSum, long tokens,
                     int steps, int skippedSteps, double seconds, String executor, int droppedTooLong,
                     double stepsPerEpoch) implements Serializable {
}
