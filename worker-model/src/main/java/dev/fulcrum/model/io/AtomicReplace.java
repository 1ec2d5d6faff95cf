package dev.fulcrum.model.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a directory or a file beside its target, syncs it to disk, then renames it into place, so that a
 * crash at any moment leaves either the old or the new content at the target path, never a part of it.
 */
public final class AtomicReplace {
    /** What {@link #sibling} names look like: {@code .TARGET.PURPOSE-UUID}. */
    private static final Pattern SIBLING = Pattern.compile(
            "\\.(.+)\\.(saving|writing|old)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");


    /** Writes the new content at {@code path}, which is an empty directory or a file not yet created. */
    interface Writer<T> {
        T writeTo(Path path) throws IOException;
    }

    private AtomicReplace() {
    }

    /**
     * Replaces the directory {@code target} (or creates it) with what {@code contents} writes into a fresh one.
     * If writing or renaming fails, the target is as before and the fresh directory is gone. If only deleting
     * the replaced directory fails, the new one is in place and the old one stays beside it, hidden.
     *
     * @return what {@code contents} returned
     */
    static <T> T directory(Path target, Writer<T> contents) throws IOException {
        Path absolute = absolute(target);
        Path staging = Files.createDirectory(sibling(absolute, "saving"));
        Path old = sibling(absolute, "old");
        T result;
        try {
            result = contents.writeTo(staging);
            syncTree(staging);
            moveDirectoryIntoPlace(staging, absolute, old);
        } catch (Throwable e) {
            deleteAfterFailure(staging, e);
            throw e;
        }
        deleteTree(old);
        return result;
    }

    /** Replaces the file {@code target} (or creates it) with what {@code contents} writes to a fresh path. */
    static void file(Path target, Writer<?> contents) throws IOException {
        Path absolute = absolute(target);
        Path staging = sibling(absolute, "writing");
        try {
            contents.writeTo(staging);
            syncFile(staging);
            Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(absolute.getParent());
        } catch (Throwable e) {
            deleteAfterFailure(staging, e);
            throw e;
        }
    }

    /**
     * Cleans up after a process killed in the middle of a replace in {@code directory} (not below it): a staged
     * directory or file that was never renamed into place is deleted, and a replaced directory moved aside
     * ({@code old}) goes back to its name when the new one never arrived, else it is deleted. Only for a
     * directory no other process is writing to (a locked run directory).
     *
     * @return one line per leftover, saying what was done with it
     */
    public static List<String> recoverInterrupted(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<String> done = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path leftover : entries.sorted().toList()) {
                Matcher name = SIBLING.matcher(leftover.getFileName().toString());
                if (name.matches()) {
                    done.add(recover(leftover, directory.resolve(name.group(1)), name.group(2)));
                }
            }
        }
        return done;
    }

    private static String recover(Path leftover, Path target, String purpose) throws IOException {
        if (purpose.equals("old") && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(leftover, target, StandardCopyOption.ATOMIC_MOVE);
            return "restored " + target + ", which an interrupted replace had moved aside";
        }
        deleteTree(leftover);
        return "deleted " + leftover + ", left by an interrupted write";
    }

    private static Path absolute(Path target) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.getParent() == null) {
            throw new IllegalArgumentException("cannot replace the root directory " + absolute);
        }
        Files.createDirectories(absolute.getParent());
        return absolute;
    }

    /** A hidden, unused name beside {@code target}, which a rename within one file system can move onto it. */
    private static Path sibling(Path target, String purpose) {
        return target.resolveSibling("." + target.getFileName() + "." + purpose + "-" + UUID.randomUUID());
    }

    /**
     * No rename swaps two directories atomically, so an existing target is renamed to {@code old} first:
     * between the two renames the target path is briefly absent, but never holds a partial model.
     */
    private static void moveDirectoryIntoPlace(Path staging, Path target, Path old) throws IOException {
        boolean replacing = Files.exists(target);
        if (replacing) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (replacing) {
                restore(old, target, e);
            }
            throw e;
        }
        syncDirectory(target.getParent());
    }

    private static void restore(Path old, Path target, IOException failure) {
        try {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static void syncTree(Path root) throws IOException {
        for (Path file : regularFiles(root)) {
            syncFile(file);
        }
        syncDirectory(root);
    }

    private static List<Path> regularFiles(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }

    private static void syncFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Makes the names in a directory (created files, renames) durable. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; their file systems journal renames themselves.
        }
    }

    private static void deleteAfterFailure(Path path, Throwable failure) {
        try {
            deleteTree(path);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
