package dev.fulcrum.model.decode;

import org.junit.jupiter.api.Tag;

/** {@link BeamSearchTest}'s checks on a model trained for a few steps: minutes on a 2-vCPU machine. */
@Tag("slow")
class BeamSearchTrainedTest extends BeamSearchTest {
    @Override
    int trainingSteps() {
        return 30;
    }
}
