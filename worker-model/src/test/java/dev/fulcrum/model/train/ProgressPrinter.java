package dev.fulcrum.model.train;

import java.io.PrintStream;
import java.time.Duration;

/** Prints a progress line every {@code every} steps: loss (moving average), tokens/s, learning rate, ETA. */
public final class ProgressPrinter implements Trainer.Listener {
    private final PrintStream out;
    private final int every;
    private double smoothedLoss = Double.NaN;
    private long tokens;

    public ProgressPrinter(PrintStream out, int every) {
        this.out = out;
        this.every = every;
    }

    @Override
    public void onStep(Trainer.StepEvent e) {
        smoothedLoss = Double.isNaN(smoothedLoss) ? e.loss() : 0.95 * smoothedLoss + 0.05 * e.loss();
        tokens += e.tokens();
        if (e.step() % every == 0) {
            double seconds = e.elapsed().toMillis() / 1000.0;
            long etaSeconds = e.progress() > 0 ? (long) (seconds * (1 - e.progress()) / e.progress()) : 0;
            out.printf("step %d  epoch %d  loss %.3f  |g| %.2f  lr %.2e  %.0f tokens/s  %s elapsed, ETA %s%n",
                    e.step(), e.epoch() + 1, smoothedLoss, e.gradientNorm(), e.learningRate(), tokens / seconds,
                    format(e.elapsed()), format(Duration.ofSeconds(etaSeconds)));
        }
    }

    /** Source + target tokens trained on so far. */
    public long tokens() {
        return tokens;
    }

    private static String format(Duration d) {
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
