package dev.fulcrum.model.io;

import static dev.fulcrum.model.io.ModelLayout.ALL;
import static dev.fulcrum.model.io.ModelLayout.CONTENT;
import static dev.fulcrum.model.io.ModelLayout.MANIFEST;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import dev.fulcrum.model.TranslationModel;

/** A model directory as one zip file: exactly the five model files, the manifest first. */
final class ModelArchive {
    /** Entries carry a fixed time, so that one model always gives the same archive bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static final long MAX_MANIFEST_BYTES = 1 << 16;
    private static final int COPY_CHUNK = 1 << 16;

    private ModelArchive() {
    }

    static void export(Path modelDir, Path zipFile) throws IOException {
        Manifest.read(modelDir.resolve(MANIFEST)).verify(modelDir);
        AtomicReplace.file(zipFile, staging -> {
            writeZip(modelDir, staging);
            return null;
        });
    }

    /** Unpacks {@code zipFile} into the empty directory {@code dir} and loads the model from there. */
    static TranslationModel unpack(Path zipFile, Path dir) throws IOException {
        try {
            extract(zipFile, dir);
            return ModelStore.load(dir);
        } catch (ModelFormatException e) {
            throw inArchive(zipFile, dir, e);
        }
    }

    /** Names the archive and its entry rather than the unpacked file, which will be deleted. */
    private static ModelFormatException inArchive(Path zipFile, Path dir, ModelFormatException e) {
        if (!e.file().startsWith(dir)) {
            return e;
        }
        String entry = e.file().equals(dir) ? "" : "entry '" + dir.relativize(e.file()) + "' ";
        return new ModelFormatException(zipFile, entry + e.problem(), e);
    }

    private static void extract(Path zipFile, Path dir) throws IOException {
        try (ZipFile zip = open(zipFile)) {
            Map<String, ZipEntry> entries = modelEntries(zipFile, zip);
            copy(zipFile, zip, entries.get(MANIFEST), dir, MAX_MANIFEST_BYTES);
            Manifest manifest = Manifest.read(dir.resolve(MANIFEST));
            for (String name : CONTENT) {
                copy(zipFile, zip, entries.get(name), dir, manifest.bytes(name));
            }
        }
    }

    private static void writeZip(Path modelDir, Path zipFile) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(
                Files.newOutputStream(zipFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)))) {
            for (String name : ALL) {
                ZipEntry entry = new ZipEntry(name);
                entry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(entry);
                Files.copy(modelDir.resolve(name), zip);
                zip.closeEntry();
            }
        }
    }

    private static ZipFile open(Path zipFile) throws IOException {
        try {
            return new ZipFile(zipFile.toFile());
        } catch (ZipException e) {
            throw new ModelFormatException(zipFile, "is not a zip archive: " + e.getMessage(), e);
        }
    }

    /**
     * The entries by name, if they are exactly the model files. Names must equal a model file's name, which
     * also rules out path traversal ("../x"), absolute paths and subdirectories.
     */
    private static Map<String, ZipEntry> modelEntries(Path zipFile, ZipFile zip) throws ModelFormatException {
        Map<String, ZipEntry> entries = new HashMap<>();
        for (ZipEntry entry : Collections.list(zip.entries())) {
            String name = entry.getName();
            if (entry.isDirectory() || !ALL.contains(name)) {
                throw new ModelFormatException(zipFile, "entry '" + name + "' is not one of the model files "
                        + ALL + "; refusing to unpack the archive");
            }
            if (entries.put(name, entry) != null) {
                throw new ModelFormatException(zipFile, "entry '" + name + "' appears more than once");
            }
        }
        for (String name : ALL) {
            if (!entries.containsKey(name)) {
                throw new ModelFormatException(zipFile, "lacks the entry '" + name + "'");
            }
        }
        return entries;
    }

    /** Copies one entry, stopping as soon as it exceeds {@code maxBytes} whatever its header claims. */
    private static void copy(Path zipFile, ZipFile zip, ZipEntry entry, Path dir, long maxBytes) throws IOException {
        byte[] buffer = new byte[COPY_CHUNK];
        long copied = 0;
        try (InputStream in = zip.getInputStream(entry);
             OutputStream out = Files.newOutputStream(dir.resolve(entry.getName()), StandardOpenOption.CREATE_NEW)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                copied += n;
                if (copied > maxBytes) {
                    throw new ModelFormatException(zipFile, "entry '" + entry.getName()
                            + "' is larger than the " + maxBytes + " bytes allowed for it");
                }
                out.write(buffer, 0, n);
            }
        } catch (ZipException e) {
            throw new ModelFormatException(zipFile, "entry '" + entry.getName() + "' is damaged: " + e.getMessage(), e);
        }
    }
}
