package dev.fulcrum.driver.run;

import java.io.PrintStream;
import java.time.Duration;

import dev.fulcrum.driver.round.RoundListener;
import dev.fulcrum.driver.round.RoundReport;
import dev.fulcrum.driver.round.RoundState;

/**
 * One progress line per round: losses, BLEU, throughput, averaging overhead and the time left; then, when
 * the tuner moved the knobs, a line saying which, and why.
 */
public final class RoundProgress implements RoundListener {
    private final PrintStream out;
    private final double maxMinutes;
    private int roundsSeen;

    public RoundProgress(PrintStream out, double maxMinutes) {
        this.out = out;
        this.maxMinutes = maxMinutes;
    }

    @Override
    public void onRoundEnd(RoundReport r, RoundState state) {
        roundsSeen++;
        out.printf("round %d/%d  step %d  epoch %.2f  train loss %.3f  valid ppl %.2f  BLEU %s  chrF %s  %,.0f tok/s"
                        + "  round %.1fs (averaging %.0f%%)  ETA %s%n",
                r.round(), r.rounds(), r.step(), r.epochs(), r.trainLoss(), r.validPerplexity(), figure(r.bleu()),
                figure(r.chrf()), r.tokensPerSecond(), r.roundSeconds(),
                100 * r.overheadSeconds() / Math.max(1e-9, r.roundSeconds()), eta(r));
        if (r.skippedSteps() > 0 || r.excludedReplicas() > 0) {
            out.printf("  warning: %d step(s) skipped for a non-finite loss or gradient, %d replica(s) left out of"
                    + " the average for a non-finite state%n", r.skippedSteps(), r.excludedReplicas());
        }
        if (state.rollback() != null) {
            out.println("  warning: " + state.decision().reason());
        } else if (!state.knobs().equals(r.knobs())) {
            out.println("  tuner: " + state.decision().reason());
        }
    }

    private String eta(RoundReport r) {
        double perRound = r.elapsedSeconds() / roundsSeen; // validation included; a resumed run starts late
        double byRounds = perRound * (r.rounds() - r.round());
        double seconds = maxMinutes > 0 ? Math.min(byRounds, Math.max(0, 60 * maxMinutes - r.elapsedSeconds()))
                : byRounds;
        Duration left = Duration.ofSeconds(Math.round(seconds));
        return String.format("%dm%02ds", left.toMinutes(), left.toSecondsPart());
    }

    private static String figure(double value) {
        return Double.isNaN(value) ? "-" : String.format("%.1f", value);
    }
}
