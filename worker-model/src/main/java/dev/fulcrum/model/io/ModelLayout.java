package dev.fulcrum.model.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The files of a model directory, which are also the only entries of its archive. */
final class ModelLayout {
    /** Version of the whole layout: params.bin, model.json and manifest.json all carry it. */
    static final int FORMAT_VERSION = 1;

    static final String PARAMS = "params.bin";
    static final String MODEL = "model.json";
    static final String VOCABULARY = "vocab.json";
    static final String PROVENANCE = "provenance.json";
    static final String MANIFEST = "manifest.json";

    /** The files the manifest describes, in the order a save writes them. */
    static final List<String> CONTENT = List.of(PARAMS, MODEL, VOCABULARY, PROVENANCE);
    /** Every file of a model; the manifest first, so that an archive reader meets it before the rest. */
    static final List<String> ALL = List.of(MANIFEST, PARAMS, MODEL, VOCABULARY, PROVENANCE);

    private ModelLayout() {
    }

    /** A save may take the place of nothing, an empty directory or a model; never of anything else. */
    static void requireReplaceable(Path target) throws IOException {
        requireReplaceable(target, Set.of(), Set.of());
    }

    /**
     * A save may take the place of nothing, an empty directory, or a directory of {@code manifest.json} and files of
     * the layout ({@link #ALL} and {@code ownFiles}, plus {@code modelDirectories} that pass this check themselves)
     * and nothing else: a stray {@code manifest.json} does not make a user's directory replaceable (the replaced
     * tree is deleted). Symbolic links are never followed: a link in the place of the target or of one of its
     * entries is refused.
     *
     * @param ownFiles         a checkpoint's own files beside its manifest
     * @param modelDirectories a checkpoint's subdirectories that hold a model
     */
    static void requireReplaceable(Path target, Set<String> ownFiles, Set<String> modelDirectories)
            throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(target, "exists and is not a directory");
        }
        if (isEmpty(target)) {
            return;
        }
        if (!Files.isRegularFile(target.resolve(MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
            throw refused(target, "is not empty and has no " + MANIFEST);
        }
        try (Stream<Path> entries = Files.list(target)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (Files.isSymbolicLink(entry)) {
                    throw refused(target, "holds the symbolic link " + name);
                }
                if (modelDirectories.contains(name) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    requireReplaceable(entry);
                } else if (!(ALL.contains(name) || ownFiles.contains(name))
                        || !Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    throw refused(target, "holds " + name + ", which is not part of a Fulcrum model or checkpoint");
                }
            }
        }
    }

    private static FileAlreadyExistsException refused(Path target, String why) {
        return new FileAlreadyExistsException(target.toString(), null, why + ": not a model directory; refusing to "
                + "replace it");
    }

    /** @throws ModelFormatException unless a file's declared format is {@code expectedFormat} in our version */
    static void requireFormat(Path file, String format, String expectedFormat, int version)
            throws ModelFormatException {
        if (!expectedFormat.equals(format)) {
            throw new ModelFormatException(file, "format is '" + format + "', expected '" + expectedFormat + "'");
        }
        requireVersion(file, version);
    }

    static void requireVersion(Path file, int version) throws ModelFormatException {
        if (version != FORMAT_VERSION) {
            throw new ModelFormatException(file, "format version " + version + " is not supported (expected "
                    + FORMAT_VERSION + ")");
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }
}
