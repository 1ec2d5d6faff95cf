package dev.fulcrum.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import dev.fulcrum.model.train.FaultInjection;
import dev.fulcrum.model.train.FaultInjection.Fault;
import dev.fulcrum.model.train.FaultInjection.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16, cluster faults: a replica's task that fails mid-round is retried by Spark ({@code local[2,4]}) and the
 * run ends exactly where an undisturbed one does: a round starts every replica from the broadcast state.
 */
@Tag("slow")
class TaskRetryTest {
    @RegisterExtension
    static final TinyRuns runs = new TinyRuns("task-retry-test", "local[2,4]");

    @AfterEach
    void disarm() {
        FaultInjection.clear();
    }

    @Test
    void aTaskThatFailsMidRoundIsRetriedWithTheSameResult() throws IOException {
        TrainJob.Result undisturbed = runs.train("undisturbed", 2, new ByteArrayOutputStream());
        FaultInjection.arm(new Fault(Target.FAILURE, 1, 4, 5, 0f, false)); // replica 1, in round 2, once

        TrainJob.Result retried = runs.train("retried", 2, new ByteArrayOutputStream());

        assertEquals(1, FaultInjection.fired(), "the task failed once");
        assertArrayEquals(undisturbed.model().transformer().parameters().flat().toFloatVector(),
                retried.model().transformer().parameters().flat().toFloatVector(), 0f);
        assertArrayEquals(undisturbed.last().updaterState(), retried.last().updaterState(), 0f);
    }
}
