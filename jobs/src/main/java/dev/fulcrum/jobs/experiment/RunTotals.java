package dev.fulcrum.jobs.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a run's training cost, summed over its metrics.jsonl (one line per round): the job's result carries only
 * the last round's report, the log carries every round's.
 *
 * @param tokens       real source + target tokens trained on
 * @param roundSeconds wall-clock seconds of the rounds, validation excluded
 */
record RunTotals(long tokens, double roundSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static RunTotals read(Path metrics) throws IOException {
        long tokens = 0;
        double seconds = 0;
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
            JsonNode round = JSON.readTree(line);
            tokens += round.path("tokens").asLong();
            seconds += round.path("roundSeconds").asDouble();
        }
        return new RunTotals(tokens, seconds);
    }
}
