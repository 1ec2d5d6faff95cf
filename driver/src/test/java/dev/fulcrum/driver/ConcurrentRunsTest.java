package dev.fulcrum.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16, item 3: two trainings at once in one Spark application (a notebook fitting two models) do not
 * disturb each other: each ends exactly where it ends alone.
 */
@Tag("slow")
class ConcurrentRunsTest {
    @RegisterExtension
    static final TinyRuns runs = new TinyRuns("concurrent-runs-test", "local[2]");

    @Test
    void twoRunsAtOnceEachGetWhatTheyGetAlone() throws Exception {
        TrainJob.Result aloneA = runs.train("alone-a", 3, new ByteArrayOutputStream(), "train.seed=1");
        TrainJob.Result aloneB = runs.train("alone-b", 3, new ByteArrayOutputStream(), "train.seed=2");

        ExecutorService drivers = Executors.newFixedThreadPool(2);
        try {
            Future<TrainJob.Result> a = drivers.submit(
                    () -> runs.train("together-a", 3, new ByteArrayOutputStream(), "train.seed=1"));
            Future<TrainJob.Result> b = drivers.submit(
                    () -> runs.train("together-b", 3, new ByteArrayOutputStream(), "train.seed=2"));
            assertSameRun(aloneA, "alone-a", a.get(), "together-a");
            assertSameRun(aloneB, "alone-b", b.get(), "together-b");
        } finally {
            drivers.shutdownNow();
        }
    }

    private static void assertSameRun(TrainJob.Result alone, String aloneDir, TrainJob.Result together,
                                      String togetherDir) throws IOException {
        assertArrayEquals(alone.model().transformer().parameters().flat().toFloatVector(),
                together.model().transformer().parameters().flat().toFloatVector(), 1e-6f, togetherDir);
        List<JsonNode> expected = runs.metrics(aloneDir);
        List<JsonNode> actual = runs.metrics(togetherDir);
        assertEquals(expected.size(), actual.size());
        for (int round = 0; round < expected.size(); round++) {
            assertEquals(expected.get(round).path("validNll").asDouble(), actual.get(round).path("validNll").asDouble(),
                    1e-5, togetherDir + " round " + (round + 1));
        }
    }
}
