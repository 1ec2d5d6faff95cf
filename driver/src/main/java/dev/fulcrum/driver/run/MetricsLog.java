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
 * metrics.jsonl: one JSON object per finished round, appended and synced. Values that do not exist (BLEU
 * when no sample was decoded) are null, never NaN, so that every line is standard JSON.
 */
public final class MetricsLog implements RoundListener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

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

    /** The lowest validNll of the lines written so far, +∞ when there is none (what a resumed tuner needs). */
    public double bestValidNll() throws IOException {
        double best = Double.POSITIVE_INFINITY;
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                JsonNode node = parseOrNull(line);
                if (node != null && node.path("validNll").isNumber()) {
                    best = Math.min(best, node.path("validNll").asDouble());
                }
            }
        }
        return best;
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
            JsonNode node = parseOrNull(line);
            if (node != null && node.path("round").asInt(Integer.MAX_VALUE) <= round) {
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

    private static JsonNode parseOrNull(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
