package dev.fulcrum.model.io;

import static dev.fulcrum.model.io.ModelLayout.CONTENT;
import static dev.fulcrum.model.io.ModelLayout.FORMAT_VERSION;
import static dev.fulcrum.model.io.ModelLayout.MANIFEST;
import static dev.fulcrum.model.io.ModelLayout.PARAMS;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * manifest.json: the byte size and SHA-256 of every other file of a model directory, so that a damaged,
 * truncated, missing or swapped file is found before anything is parsed.
 */
record Manifest(String format, int version, Map<String, FileEntry> files) {
    static final String FORMAT = "fulcrum-model-manifest";
    /** Caps on what a manifest may declare, so that an archive cannot make an import write without bound. */
    static final long MAX_PARAMS_BYTES = 1L << 36;
    static final long MAX_JSON_BYTES = 1L << 26;

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final int READ_CHUNK = 1 << 20;

    record FileEntry(long bytes, String sha256) {
    }

    Manifest {
        files = Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** The manifest of the files now in {@code directory}. */
    static Manifest describe(Path directory) throws IOException {
        Map<String, FileEntry> files = new TreeMap<>();
        for (String name : CONTENT) {
            Path file = directory.resolve(name);
            files.put(name, new FileEntry(Files.size(file), sha256(file)));
        }
        return new Manifest(FORMAT, FORMAT_VERSION, files);
    }

    void write(Path file) throws IOException {
        Json.write(this, file);
    }

    /** @throws ModelFormatException if the file is not a manifest of this format version */
    static Manifest read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "is missing: not a model directory");
        }
        Manifest manifest = Json.read(file, Manifest.class, "a model manifest");
        manifest.requireValid(file);
        return manifest;
    }

    /** The byte size the manifest declares for {@code name}, one of {@link ModelLayout#CONTENT}. */
    long bytes(String name) {
        return files.get(name).bytes();
    }

    /** @throws ModelFormatException naming the first file of {@code directory} that is missing or differs */
    void verify(Path directory) throws IOException {
        for (String name : CONTENT) {
            verifyFile(directory.resolve(name), files.get(name));
        }
    }

    private void requireValid(Path file) throws ModelFormatException {
        ModelLayout.requireFormat(file, format, FORMAT, version);
        if (!files.keySet().equals(Set.copyOf(CONTENT))) {
            throw new ModelFormatException(file, "lists " + files.keySet() + ", expected exactly " + CONTENT);
        }
        for (Map.Entry<String, FileEntry> entry : files.entrySet()) {
            requireValidEntry(file, entry.getKey(), entry.getValue());
        }
    }

    private static void requireValidEntry(Path file, String name, FileEntry entry) throws ModelFormatException {
        if (entry == null) {
            throw new ModelFormatException(file, "has no size and checksum for " + name);
        }
        long cap = name.equals(PARAMS) ? MAX_PARAMS_BYTES : MAX_JSON_BYTES;
        if (entry.bytes() < 0 || entry.bytes() > cap) {
            throw new ModelFormatException(file, "says " + name + " has " + entry.bytes()
                    + " bytes, allowed are 0 to " + cap);
        }
        if (!SHA256_HEX.matcher(entry.sha256()).matches()) {
            throw new ModelFormatException(file, "the SHA-256 of " + name + " is not 64 lower-case hex digits");
        }
    }

    static void verifyFile(Path file, FileEntry expected) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "is missing (listed in " + MANIFEST + ")");
        }
        long size = Files.size(file);
        if (size != expected.bytes()) {
            throw new ModelFormatException(file, "has " + size + " bytes, " + MANIFEST + " says " + expected.bytes()
                    + ": the file is truncated, damaged or belongs to another model");
        }
        String actual = sha256(file);
        if (!actual.equals(expected.sha256())) {
            throw new ModelFormatException(file, "has SHA-256 " + actual + ", " + MANIFEST + " says "
                    + expected.sha256() + ": the file is damaged or belongs to another model");
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newSha256();
        ByteBuffer buffer = ByteBuffer.allocate(READ_CHUNK);
        try (FileChannel channel = FileChannel.open(file)) {
            while (channel.read(buffer.clear()) >= 0) {
                digest.update(buffer.flip());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
