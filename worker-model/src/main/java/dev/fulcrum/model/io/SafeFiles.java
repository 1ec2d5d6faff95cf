package dev.fulcrum.model.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the files of a run or model directory without following symbolic links (O_NOFOLLOW): a link planted in
 * an output directory, to a user's file elsewhere, makes the write fail instead of overwriting that file.
 */
public final class SafeFiles {
    private static final OpenOption[] REPLACE = {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS};
    private static final OpenOption[] APPEND = {StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS};

    private SafeFiles() {
    }

    /** Creates or replaces the content of {@code file}, UTF-8. */
    public static void writeString(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, REPLACE);
    }

    public static OutputStream newOutputStream(Path file) throws IOException {
        return Files.newOutputStream(file, REPLACE);
    }

    /** Options to open {@code file} for appending, creating it when missing. */
    public static OpenOption[] appending() {
        return APPEND.clone();
    }
}
