package dev.fulcrum.driver.run;

import java.io.IOException;

import dev.fulcrum.driver.round.RoundListener;
import dev.fulcrum.driver.round.RoundReport;
import dev.fulcrum.driver.round.RoundState;
import dev.fulcrum.model.io.TrainingCheckpoint;
import org.nd4j.linalg.factory.Nd4j;

/** After every round: an atomic, checksummed checkpoint; then the oldest beyond the kept number go. */
public final class CheckpointWriter implements RoundListener {
    private final RunDirectory run;
    private final int keep;

    public CheckpointWriter(RunDirectory run, int keep) {
        this.run = run;
        this.keep = keep;
    }

    @Override
    public void onRoundEnd(RoundReport report, RoundState state) throws IOException {
        TrainingCheckpoint.save(run.checkpoint(state.round()), state.model(), new TrainingCheckpoint.TrainerState(
                state.round(), state.step(), state.knobs(),
                Nd4j.createFromArray(state.updaterState()).reshape(1, -1), state.learningRateScale()));
        run.pruneCheckpoints(keep);
    }
}
