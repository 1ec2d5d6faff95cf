package dev.fulcrum.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReplacesAFile() throws IOException {
        Path file = dir.resolve("run.conf");
        SafeFiles.writeString(file, "a long first version");
        SafeFiles.writeString(file, "second");
        assertEquals("second", Files.readString(file));
    }

    @Test
    void neverWritesThroughASymbolicLink() throws IOException {
        Path elsewhere = Files.writeString(dir.resolve("users-file.txt"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("run.conf"), elsewhere);
        assertThrows(IOException.class, () -> SafeFiles.writeString(link, "overwritten"));
        assertThrows(IOException.class, () -> SafeFiles.newOutputStream(link).close());
        assertEquals("precious", Files.readString(elsewhere));
    }
}
