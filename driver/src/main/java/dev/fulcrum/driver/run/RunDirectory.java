package dev.fulcrum.driver.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.fulcrum.model.io.AtomicReplace;
import dev.fulcrum.model.io.ModelFormatException;
import dev.fulcrum.model.io.TrainingCheckpoint;

/**
 * The layout of a run's output directory:
 * <pre>
 *   run.conf           the merged configuration the run started with (what --resume reads back)
 *   ingest.json        rows read, kept and dropped by reason
 *   metrics.jsonl      one JSON line per round
 *   checkpoints/round-NNNNNN/   the last output.keepCheckpoints checkpoints
 *   model/             the final inference model (written when training ends; closed-gate heads pruned)
 *   attention.json     attention weights of a few validation pairs, every layer and head (at the end)
 *   report.html        the run report (bin/fulcrum report, and at the end of train)
 * </pre>
 */
public record RunDirectory(Path root) {
    private static final String CHECKPOINT_PREFIX = "round-";
    /** Suffix of a run file being rewritten: written whole, then renamed over the file. */
    public static final String PARTIAL = ".partial";

    public Path config() {
        return root.resolve("run.conf");
    }

    public Path ingestReport() {
        return root.resolve("ingest.json");
    }

    public Path metrics() {
        return root.resolve("metrics.jsonl");
    }

    public Path model() {
        return root.resolve("model");
    }

    /** Attention weights of a few validation pairs after training (the report's heatmaps). */
    public Path attentionMaps() {
        return root.resolve("attention.json");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path checkpoint(int round) {
        return checkpoints().resolve(String.format("%s%06d", CHECKPOINT_PREFIX, round));
    }

    /** Checkpoint directories, newest first. */
    public List<Path> checkpointsNewestFirst() throws IOException {
        if (!Files.isDirectory(checkpoints())) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(checkpoints())) {
            return entries.filter(p -> p.getFileName().toString().matches(CHECKPOINT_PREFIX + "\\d+"))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .toList();
        }
    }

    /**
     * The newest checkpoint that loads and verifies; damaged ones are reported to {@code warnings} and
     * skipped, so that a crash or a bad disk costs one round, not the run.
     */
    public Optional<TrainingCheckpoint.Loaded> latestGoodCheckpoint(Consumer<String> warnings) throws IOException {
        for (Path checkpoint : checkpointsNewestFirst()) {
            try {
                return Optional.of(TrainingCheckpoint.load(checkpoint));
            } catch (ModelFormatException e) {
                warnings.accept("checkpoint " + checkpoint.getFileName() + " is damaged, using an older one: "
                        + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Cleans up after a process killed while writing (the caller holds the {@link RunLock}): staged checkpoints
     * and models never renamed into place, half-written {@code .partial} files, a model moved aside by an
     * interrupted replace (restored).
     *
     * @return one line per leftover, saying what was done with it
     */
    public List<String> recoverInterruptedWrites() throws IOException {
        List<String> done = new ArrayList<>(AtomicReplace.recoverInterrupted(root));
        done.addAll(AtomicReplace.recoverInterrupted(checkpoints()));
        try (Stream<Path> entries = Files.list(root)) {
            for (Path partial : entries.filter(p -> p.getFileName().toString().endsWith(PARTIAL)).toList()) {
                Files.delete(partial);
                done.add("deleted " + partial + ", left by an interrupted write");
            }
        }
        return done;
    }

    /**
     * Renames a damaged checkpoint out of the way ({@code round-NNNNNN.damaged}, numbered if taken), so that the
     * resumed run can write that round again while the damaged files stay for inspection.
     *
     * @return where it went
     */
    public Path moveAside(Path checkpoint) throws IOException {
        Path aside = checkpoint.resolveSibling(checkpoint.getFileName() + ".damaged");
        for (int n = 2; Files.exists(aside, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
            aside = checkpoint.resolveSibling(checkpoint.getFileName() + ".damaged-" + n);
        }
        return Files.move(checkpoint, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes all but the newest {@code keep} checkpoints. */
    public void pruneCheckpoints(int keep) throws IOException {
        List<Path> all = new ArrayList<>(checkpointsNewestFirst());
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            deleteTree(old);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
