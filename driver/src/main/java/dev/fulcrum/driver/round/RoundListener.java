package dev.fulcrum.driver.round;

/** Receives every finished round (progress, metrics, checkpoints); the training loop knows none of them. */
public interface RoundListener {
    void onRoundEnd(RoundReport report, RoundState state) throws java.io.IOException;
}
