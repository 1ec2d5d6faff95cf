package dev.fulcrum.model.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a process killed in the middle of {@link AtomicReplace} leaves, and how the next one cleans it up. */
class InterruptedReplaceTest {
    @TempDir
    Path dir;

    @Test
    void stagedWritesGoAndAModelMovedAsideComesBack() throws IOException {
        Path staged = Files.createDirectories(dir.resolve(".round-000003.saving-" + UUID.randomUUID()).resolve("model"));
        Files.writeString(staged.resolve("params.bin"), "half");
        Files.writeString(dir.resolve(".metrics.jsonl.writing-" + UUID.randomUUID()), "{");
        // Killed between "model → old" and "staging → model": the old model is the only one.
        Path aside = Files.createDirectories(dir.resolve(".model.old-" + UUID.randomUUID()));
        Files.writeString(aside.resolve("manifest.json"), "the previous model");
        // Killed after "staging → model", before the old one was deleted.
        Files.createDirectories(dir.resolve("export"));
        Files.createDirectories(dir.resolve(".export.old-" + UUID.randomUUID()));
        Files.writeString(dir.resolve(".lock"), "");
        Files.writeString(dir.resolve(".notes.saving-by-hand"), "not ours: the name has no UUID");

        List<String> done = AtomicReplace.recoverInterrupted(dir);

        assertEquals(4, done.size(), done::toString);
        assertEquals("the previous model", Files.readString(dir.resolve("model/manifest.json")));
        assertEquals(List.of(".lock", ".notes.saving-by-hand", "export", "model"), names(dir));
        assertEquals(List.of(), AtomicReplace.recoverInterrupted(dir), "nothing left to do");
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
