package dev.fulcrum.model.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh directory under the system's temporary directory that {@link #close} deletes with everything in it,
 * for the files a model passes through on its way to or from bytes. {@code Files.walk} does not follow symbolic
 * links, so nothing outside it is ever deleted.
 */
public final class ScratchDirectory implements AutoCloseable {
    private final Path root;

    public ScratchDirectory() throws IOException {
        this.root = Files.createTempDirectory("fulcrum-");
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the scratch directory " + root, e);
        }
    }
}
