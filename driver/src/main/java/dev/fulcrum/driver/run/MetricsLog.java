package dev.fulcrum.driver.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.driver.round.RoundListener;
import dev.fulcrum.driver.round.RoundReport;
import dev.fulcrum.driver.round.RoundState;
import dev.fulcrum.model.io.SafeFiles;

/**
 * metrics.jsonl, its one writer and reader: one JSON object per finished round, appended and synced. Values that
 * do not exist (BLEU when no sample was decoded) are null, never NaN, so that every line is standard JSON. The
 * run report and the experiment read it through {@link #read}.
 */
public final class MetricsLog implements RoundListener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    /**
     * The rounds of a metrics file, in file order, and how many lines were not a round (a line a crash cut
     * short, or something else; blank lines do not count).
     */
    public record Lines(List<JsonNode> rounds, int skippedLines) {
    }

    public MetricsLog(Path file) {
        this.file = file;
    }

    @Override
    public void onRoundEnd(RoundReport report, RoundState state) throws IOException {
        append(JSON.writeValueAsString(line(report, state)));
    }

    /**
     * The line of a round; also what the tuner's report will chart. {@code decision} is the tuner's: the knobs
     * of the next round and why.
     */
    static Map<String, Object> line(RoundReport r, RoundState state) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("round", r.round());
        line.put("step", r.step());
        line.put("epochs", finite(r.epochs()));
        line.put("trainLoss", finite(r.trainLoss()));
        line.put("validNll", finite(r.validNll()));
        line.put("validPerplexity", finite(r.validPerplexity()));
        line.put("bleu", finite(r.bleu()));
        line.put("chrf", finite(r.chrf()));
        line.put("tokens", r.tokens());
        line.put("tokensPerSecond", finite(r.tokensPerSecond()));
        line.put("roundSeconds", finite(r.roundSeconds()));
        line.put("overheadSeconds", finite(r.overheadSeconds()));
        line.put("elapsedSeconds", finite(r.elapsedSeconds()));
        line.put("knobs", r.knobs());
        line.put("skippedSteps", r.skippedSteps());
        line.put("excludedReplicas", r.excludedReplicas());
        line.put("learningRateScale", state.learningRateScale());
        line.put("rollback", state.rollback());
        line.put("replicas", r.replicas());
        line.put("attention", r.attention());
        line.put("decision", state.decision());
        return line;
    }

    /** The rounds of {@code file}; none when it does not exist (a run that has not finished a round). */
    public static Lines read(Path file) throws IOException {
        return Files.exists(file) ? parse(Files.readAllLines(file, StandardCharsets.UTF_8)) : new Lines(List.of(), 0);
    }

    public static Lines parse(List<String> lines) {
        List<JsonNode> rounds = new ArrayList<>();
        int skipped = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode round = roundOrNull(line);
            if (round != null) {
                rounds.add(round);
            } else {
                skipped++;
            }
        }
        return new Lines(List.copyOf(rounds), skipped);
    }

    /** The lowest validNll of the lines written so far, +∞ when there is none (what a resumed tuner needs). */
    public double bestValidNll() throws IOException {
        return read(file).rounds().stream().filter(round -> round.path("validNll").isNumber())
                .mapToDouble(round -> round.path("validNll").asDouble()).min().orElse(Double.POSITIVE_INFINITY);
    }

    /**
     * Keeps only the lines of rounds up to {@code round} (a resumed run repeats the rounds after its
     * checkpoint) and drops a line a crash may have cut short.
     */
    public void truncateAfter(int round) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode node = roundOrNull(line);
            if (node != null && node.path("round").asInt() <= round) {
                kept.add(line);
            }
        }
        // Atomically: a kill during the rewrite leaves the old lines or the new ones, never half of them.
        Path partial = file.resolveSibling(file.getFileName() + RunDirectory.PARTIAL);
        SafeFiles.writeString(partial, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void append(String line) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel channel = FileChannel.open(file, SafeFiles.appending())) {
            channel.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
    }

    /** The line as a round: a JSON object with an integer {@code round}, else null. */
    private static JsonNode roundOrNull(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() && node.path("round").canConvertToInt() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
