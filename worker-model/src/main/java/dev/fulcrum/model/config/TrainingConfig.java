package dev.fulcrum.model.config;

/**
 * How one model replica is trained: Adam(0.9, 0.98, 1e-9) with inverse-square-root warm-up and
 * global-norm gradient clipping, as in fairseq/Marian Transformer recipes.
 *
 * @param peakLearningRate learning rate reached at the end of warm-up
 * @param warmupSteps      linear warm-up steps; afterwards the rate decays as 1/√step
 * @param clipNorm         global L2 norm the gradient is clipped to (0 = no clipping)
 * @param batchTokens      target source+target tokens per minibatch (padding included)
 * @param seed             seed of initialisation, data order, dropout and gate noise
 */
public record TrainingConfig(double peakLearningRate, int warmupSteps, double clipNorm, int batchTokens, long seed)
        implements java.io.Serializable {
    public static final double ADAM_BETA1 = 0.9;
    public static final double ADAM_BETA2 = 0.98;
    public static final double ADAM_EPSILON = 1e-9;

    public TrainingConfig {
        Check.range("train.peakLearningRate", peakLearningRate, 1e-7, 1.0);
        Check.intRange("train.warmupSteps", warmupSteps, 1, 1_000_000);
        Check.range("train.clipNorm", clipNorm, 0, 1e6);
        Check.intRange("train.batchTokens", batchTokens, 16, 1 << 20);
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(1e-3, 300, 1.0, 2048, 42);
    }

    /** Learning rate at 0-based step {@code step}: linear warm-up, then inverse square root. */
    public double learningRate(long step) {
        double s = step + 1.0;
        return peakLearningRate * Math.min(s / warmupSteps, Math.sqrt(warmupSteps / s));
    }
}
