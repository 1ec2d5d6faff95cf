package dev.fulcrum.jobs.experiment;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fulcrum.driver.run.MetricsLog;

/**
 * What a run's training cost, summed over its metrics.jsonl (one line per round): the job's result carries only
 * the last round's report, the log carries every round's.
 *
 * @param tokens       real source + target tokens trained on
 * @param roundSeconds wall-clock seconds of the rounds, validation excluded
 */
record RunTotals(long tokens, double roundSeconds) {
    static RunTotals read(Path metrics) throws IOException {
        long tokens = 0;
        double seconds = 0;
        for (JsonNode round : MetricsLog.read(metrics).rounds()) {
            tokens += round.path("tokens").asLong();
            seconds += round.path("roundSeconds").asDouble();
        }
        return new RunTotals(tokens, seconds);
    }
}
