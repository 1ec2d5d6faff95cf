package dev.fulcrum.model.train;

import java.time.Duration;
import java.util.List;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.data.Batcher;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Single-replica training loop: epochs of freshly shuffled, length-bucketed minibatches until a step,
 * epoch or wall-clock budget runs out. Progress, validation and checkpoints are {@link Listener}s, not
 * code inside the loop.
 */
public final class Trainer {
    /** Receives the loop's events; every method is optional. */
    public interface Listener {
        default void onStep(StepEvent event) {
        }

        default void onEpochEnd(int epoch, long steps) {
        }
    }

    /**
     * One finished optimisation step.
     *
     * @param tokens   real (non-padding) source + target tokens of this step's minibatch
     * @param elapsed  wall-clock time since training started
     * @param progress fraction of the budget used (steps, epochs or time, whichever is furthest)
     */
    public record StepEvent(long step, int epoch, double loss, double gradientNorm, double learningRate,
                            long tokens, Duration elapsed, double progress) {
    }

    /** When to stop: whichever limit is reached first. */
    public record Budget(Duration time, int epochs, long steps) {
    }

    private final TrainingStep step;
    private final Batcher batcher;
    private final List<Listener> listeners;

    public Trainer(TrainingStep step, Batcher batcher, List<Listener> listeners) {
        this.step = step;
        this.batcher = batcher;
        this.listeners = List.copyOf(listeners);
    }

    /** Trains on {@code pairs} (token ids without specials); data order is derived from {@code seed} and the epoch. */
    public void train(List<int[][]> pairs, Budget budget, Knobs knobs, long seed) {
        long start = System.nanoTime();
        for (int epoch = 0; epoch < budget.epochs(); epoch++) {
            for (MultiDataSet batch : batcher.batch(pairs, seed + epoch).batches()) {
                double learningRate = step.learningRate();
                TrainingStep.Outcome outcome = step.fit(batch, knobs);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                StepEvent event = new StepEvent(step.step(), epoch, outcome.loss(), outcome.gradientNorm(),
                        learningRate, Batcher.realTokens(batch), elapsed, progress(budget, epoch, elapsed));
                listeners.forEach(l -> l.onStep(event));
                if (elapsed.compareTo(budget.time()) >= 0 || step.step() >= budget.steps()) {
                    return;
                }
            }
            int finished = epoch;
            listeners.forEach(l -> l.onEpochEnd(finished, step.step()));
        }
    }

    private double progress(Budget budget, int epoch, Duration elapsed) {
        double byTime = (double) elapsed.toMillis() / Math.max(1, budget.time().toMillis());
        double bySteps = (double) step.step() / Math.max(1, budget.steps());
        double byEpochs = (double) epoch / Math.max(1, budget.epochs());
        return Math.min(1.0, Math.max(byTime, Math.max(bySteps, byEpochs)));
    }
}
