package dev.fulcrum.jobs.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.io.SafeFiles;

/**
 * An experiment's results: OUT/experiment.md (the table with what it was measured on) and OUT/experiment.json
 * (the same, machine-readable; a value that does not exist, e.g. BLEU of an empty sample, is null there and
 * "-" in the table). ΔBLEU is each variant's BLEU minus the first (baseline) variant's.
 */
public final class ExperimentReport {
    public static final String MARKDOWN = "experiment.md";
    public static final String JSON_FILE = "experiment.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String MISSING = "-";

    private final Header header;
    private final List<VariantResult> rows;

    /**
     * What every row shares and how it was obtained.
     *
     * @param experiment  the experiment file
     * @param command     the command line
     * @param date        when the experiment started (ISO-8601)
     * @param gitRevision the commit that trained the models
     * @param hardware    cores, CPU model, memory
     * @param compute     the shared budget: rounds, steps per round, replicas, batch tokens, seed, corpus
     * @param decode      how the validation sample was translated
     */
    public record Header(String experiment, String command, String date, String gitRevision, String hardware,
                         Map<String, Object> compute, Map<String, Object> decode) {

        /** The header of {@code plan} (compute and decoding as its first variant has them, like all others). */
        public static Header of(ExperimentPlan plan, String command, String date, String gitRevision) {
            RunConfig config = plan.variants().get(0).config();
            Map<String, Object> compute = new LinkedHashMap<>();
            compute.put("rounds", config.averaging().rounds());
            compute.put("stepsPerRound", config.averaging().stepsPerRound());
            compute.put("replicas", config.averaging().replicas() == 0 ? "Spark's default parallelism"
                    : config.averaging().replicas());
            compute.put("batchTokens", config.training().batchTokens());
            compute.put("seed", config.training().seed());
            compute.put("corpusTrain", config.corpus().train());
            compute.put("corpusValid", config.corpus().valid().isEmpty() ? "held out of corpusTrain"
                    : config.corpus().valid());
            Map<String, Object> decode = new LinkedHashMap<>();
            decode.put("sentences", plan.decodeSentences());
            decode.put("beam", config.decode().beamSize());
            decode.put("lengthPenalty", config.decode().lengthPenalty());
            decode.put("batchSize", config.eval().batchSize());
            return new Header(plan.file().toString(), command, date, gitRevision, Hardware.describe(), compute,
                    decode);
        }
    }

    public ExperimentReport(Header header, List<VariantResult> rows) {
        this.header = header;
        this.rows = List.copyOf(rows);
    }

    /** Writes experiment.md and experiment.json into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        SafeFiles.writeString(dir.resolve(MARKDOWN), markdown());
        SafeFiles.writeString(dir.resolve(JSON_FILE), json());
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Experiment ").append(header.experiment()).append("\n\n");
        md.append("- command: `").append(header.command()).append("`\n");
        md.append("- date: ").append(header.date()).append("\n");
        md.append("- git revision: ").append(header.gitRevision()).append("\n");
        md.append("- hardware: ").append(header.hardware()).append("\n");
        md.append("- equal compute (every variant): ").append(pairs(header.compute())).append("\n");
        md.append("- BLEU, chrF and sentences/s: the first validation sentences decoded by the exported model")
                .append(" (the run's model/, pruned when gated), ")
                .append(pairs(header.decode())).append("; valid NLL and perplexity: all validation pairs, last round;")
                .append(" active heads: those the exported model computes\n\n");
        md.append(table());
        for (VariantResult row : rows) {
            if (!row.decodeFailure().isEmpty()) {
                md.append("\n").append(row.name()).append(": the final model could not translate the sample: ")
                        .append(row.decodeFailure()).append("\n");
            }
        }
        return md.toString();
    }

    /** The table alone (what the command prints at the end). */
    public String table() {
        StringBuilder table = new StringBuilder();
        table.append("| variant | BLEU | ΔBLEU | chrF | valid NLL | perplexity | active heads | sentences/s"
                + " | training tokens | training s |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < rows.size(); i++) {
            VariantResult row = rows.get(i);
            table.append("| ").append(row.name())
                    .append(" | ").append(figure("%.2f", row.bleu()))
                    .append(" | ").append(i == 0 ? "baseline" : figure("%+.2f", bleuDelta(row)))
                    .append(" | ").append(figure("%.2f", row.chrf()))
                    .append(" | ").append(figure("%.3f", row.validNll()))
                    .append(" | ").append(figure("%.2f", row.perplexity()))
                    .append(" | ").append(row.activeHeads()).append(" of ").append(row.totalHeads())
                    .append(" | ").append(figure("%.1f", row.sentencesPerSecond()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", row.trainingTokens()))
                    .append(" | ").append(figure("%.1f", row.trainingSeconds()))
                    .append(" |\n");
        }
        return table.toString();
    }

    public String json() throws JsonProcessingException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("experiment", header.experiment());
        document.put("command", header.command());
        document.put("date", header.date());
        document.put("gitRevision", header.gitRevision());
        document.put("hardware", header.hardware());
        document.put("compute", header.compute());
        document.put("decode", header.decode());
        List<Map<String, Object>> variants = new ArrayList<>();
        for (VariantResult row : rows) {
            Map<String, Object> variant = new LinkedHashMap<>();
            variant.put("name", row.name());
            variant.put("bleu", finite(row.bleu()));
            variant.put("bleuDelta", finite(bleuDelta(row)));
            variant.put("chrf", finite(row.chrf()));
            variant.put("validNll", finite(row.validNll()));
            variant.put("perplexity", finite(row.perplexity()));
            variant.put("activeHeads", row.activeHeads());
            variant.put("totalHeads", row.totalHeads());
            variant.put("sentencesPerSecond", finite(row.sentencesPerSecond()));
            variant.put("decodedSentences", row.decodedSentences());
            variant.put("trainingTokens", row.trainingTokens());
            variant.put("trainingSeconds", finite(row.trainingSeconds()));
            variant.put("steps", row.steps());
            variant.put("decodeFailure", row.decodeFailure().isEmpty() ? null : row.decodeFailure());
            variants.add(variant);
        }
        document.put("variants", variants);
        return JSON.writeValueAsString(document);
    }

    private double bleuDelta(VariantResult row) {
        return row.bleu() - rows.get(0).bleu();
    }

    private static String pairs(Map<String, Object> values) {
        List<String> pairs = new ArrayList<>();
        values.forEach((key, value) -> pairs.add(key + " " + value));
        return String.join(", ", pairs);
    }

    private static String figure(String format, double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : MISSING;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
