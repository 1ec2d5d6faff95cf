package dev.fulcrum.model.train;

import dev.fulcrum.model.config.TrainingConfig;
import org.nd4j.linalg.schedule.ISchedule;

/** {@link TrainingConfig#learningRate(long)} as an ND4J schedule, indexed by the global step. */
public final class InverseSqrtSchedule implements ISchedule {
    private final TrainingConfig config;

    public InverseSqrtSchedule(TrainingConfig config) {
        this.config = config;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return config.learningRate(iteration);
    }

    @Override
    public ISchedule clone() {
        return new InverseSqrtSchedule(config);
    }
}
