package dev.fulcrum.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;

/**
 * Where a model came from: its configurations, the data it was trained on, the code revision that trained
 * it, when, every change of the balancing knobs made between training rounds and why, and the heads pruned
 * from it after training.
 *
 * @param dataFingerprint identifies the training data, e.g. the SHA-256 of the corpus
 * @param gitRevision     the commit that trained the model, or {@value #UNKNOWN_REVISION}
 * @param createdAt       ISO-8601 instant, e.g. {@code 2024-05-01T12:00:00Z}
 * @param knobHistory     knob decisions in the order they were made
 * @param pruning         head prunings in the order they were applied; empty for a model as trained
 */
public record Provenance(ModelConfig modelConfig, TrainingConfig trainingConfig, String dataFingerprint,
                         String gitRevision, String createdAt, List<KnobDecision> knobHistory,
                         List<Pruning> pruning) {

    public static final String UNKNOWN_REVISION = "unknown";

    /** The knobs set for training round {@code round}, and what made the tuner choose them. */
    public record KnobDecision(int round, Knobs knobs, String reason) {
        public KnobDecision {
            Objects.requireNonNull(knobs, "knobs");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Heads removed from the model after training (see {@code dev.fulcrum.model.prune.HeadPruning}).
     *
     * @param budget        fraction of each scope's heads the rule allowed to keep (1 = only closed gates removed)
     * @param scope         what the budget counted over: {@code GLOBAL} (all layers) or {@code LAYER} (each layer)
     * @param headsPerLayer heads every attention layer had before
     * @param keptHeads     layer → indices (before pruning) of the heads kept, in layer order; an empty list
     *                      means the layer was removed
     */
    public record Pruning(double budget, String scope, int headsPerLayer, Map<String, List<Integer>> keptHeads) {
        public Pruning {
            Objects.requireNonNull(scope, "scope");
            Map<String, List<Integer>> copy = new LinkedHashMap<>();
            keptHeads.forEach((layer, heads) -> copy.put(layer, List.copyOf(heads)));
            keptHeads = Collections.unmodifiableMap(copy);
        }

        /** Heads kept over all layers. */
        public int keptTotal() {
            return keptHeads.values().stream().mapToInt(List::size).sum();
        }
    }

    /** @throws IllegalArgumentException if {@code createdAt} is not an ISO-8601 instant */
    public Provenance {
        Objects.requireNonNull(modelConfig, "modelConfig");
        Objects.requireNonNull(trainingConfig, "trainingConfig");
        Objects.requireNonNull(dataFingerprint, "dataFingerprint");
        Objects.requireNonNull(gitRevision, "gitRevision");
        requireInstant(createdAt);
        knobHistory = List.copyOf(knobHistory);
        pruning = List.copyOf(pruning);
    }

    /** The provenance of a model about to be trained, with no knob decision yet. */
    public static Provenance of(ModelConfig modelConfig, TrainingConfig trainingConfig, String dataFingerprint,
                                String gitRevision, Instant createdAt) {
        return new Provenance(modelConfig, trainingConfig, dataFingerprint, gitRevision, createdAt.toString(),
                List.of(), List.of());
    }

    /** This provenance with one more knob decision at the end of the history. */
    public Provenance withDecision(int round, Knobs knobs, String reason) {
        List<KnobDecision> history = new ArrayList<>(knobHistory);
        history.add(new KnobDecision(round, knobs, reason));
        return new Provenance(modelConfig, trainingConfig, dataFingerprint, gitRevision, createdAt, history, pruning);
    }

    /** This provenance with one more pruning at the end. */
    public Provenance withPruning(Pruning applied) {
        List<Pruning> prunings = new ArrayList<>(pruning);
        prunings.add(applied);
        return new Provenance(modelConfig, trainingConfig, dataFingerprint, gitRevision, createdAt, knobHistory,
                prunings);
    }

    /** The pruning applied last, if the model was pruned. */
    public Optional<Pruning> lastPruning() {
        return pruning.isEmpty() ? Optional.empty() : Optional.of(pruning.get(pruning.size() - 1));
    }

    private static void requireInstant(String createdAt) {
        Objects.requireNonNull(createdAt, "createdAt");
        try {
            Instant.parse(createdAt);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("createdAt '" + createdAt + "' is not an ISO-8601 instant", e);
        }
    }
}
