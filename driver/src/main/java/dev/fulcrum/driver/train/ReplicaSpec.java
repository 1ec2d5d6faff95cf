package dev.fulcrum.driver.train;

import java.io.Serializable;

import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;

/** What every executor needs to build a replica; {@code runId} tells cached replicas of different runs apart. */
record ReplicaSpec(String runId, ModelConfig model, TrainingConfig training, Parallelism parallelism)
        implements Serializable {
}
