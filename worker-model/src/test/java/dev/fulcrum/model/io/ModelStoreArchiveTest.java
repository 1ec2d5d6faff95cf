package dev.fulcrum.model.io;

import static dev.fulcrum.model.io.ModelLayout.ALL;
import static dev.fulcrum.model.io.ModelLayout.MANIFEST;
import static dev.fulcrum.model.io.ModelLayout.PARAMS;
import static dev.fulcrum.model.io.TinyModels.assertSameModel;
import static dev.fulcrum.model.io.TinyModels.fileNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.fulcrum.model.TranslationModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Archives are unpacked only if they hold exactly the model files, each within its size, and the model loads. */
class ModelStoreArchiveTest {
    private static TranslationModel model;

    @TempDir
    Path directory;
    private List<Entry> modelEntries;

    private record Entry(String name, byte[] bytes) {
    }

    @BeforeAll
    static void buildModel() {
        model = TinyModels.model(21, DataType.FLOAT);
    }

    @BeforeEach
    void saveModel() throws IOException {
        Path dir = directory.resolve("model");
        ModelStore.save(model, dir);
        modelEntries = new ArrayList<>();
        for (String name : ALL) {
            modelEntries.add(new Entry(name, Files.readAllBytes(dir.resolve(name))));
        }
    }

    @Test
    void pathTraversalIsRejectedAndNothingIsWritten() throws IOException {
        assertRejected(withExtra(new Entry("../evil", bytes("#!/bin/sh"))), "entry '../evil' is not one of the model files");
        assertTrue(Files.notExists(directory.getParent().resolve("evil")));
    }

    @Test
    void absolutePathIsRejected() throws IOException {
        assertRejected(withExtra(new Entry("/tmp/evil", bytes("x"))), "entry '/tmp/evil' is not one of the model files");
    }

    @Test
    void fileOutsideTheWhitelistIsRejected() throws IOException {
        assertRejected(withExtra(new Entry("notes.txt", bytes("x"))), "entry 'notes.txt' is not one of the model files");
    }

    @Test
    void directoryEntryIsRejected() throws IOException {
        assertRejected(withExtra(new Entry("params.bin/", new byte[0])), "entry 'params.bin/' is not one of the model files");
    }

    @Test
    void duplicateEntryIsRejected() throws IOException {
        Path zip = directory.resolve("twice.zip");
        // ZipOutputStream refuses duplicate names: write a same-length stand-in and rename it in the bytes.
        writeZip(zip, withExtra(new Entry("params.biX", modelEntries.get(1).bytes())));
        byte[] bytes = Files.readAllBytes(zip);
        Files.write(zip, replaceAll(bytes, bytes("params.biX"), bytes(PARAMS)));

        assertImportRejected(zip, "entry 'params.bin' appears more than once");
    }

    @Test
    void missingEntryIsRejected() throws IOException {
        assertRejected(modelEntries.subList(0, 4), "lacks the entry 'provenance.json'");
    }

    @Test
    void entryLargerThanItsManifestSaysIsRejected() throws IOException {
        byte[] params = modelEntries.get(1).bytes();
        modelEntries.set(1, new Entry(PARAMS, Arrays.copyOf(params, params.length + (1 << 20))));

        assertRejected(modelEntries, "entry 'params.bin' is larger than the " + params.length + " bytes allowed");
    }

    @Test
    void manifestDeclaringAnInsaneSizeIsRejected() throws IOException {
        String manifest = new String(modelEntries.get(0).bytes(), StandardCharsets.UTF_8)
                .replaceFirst("\"bytes\" : \\d+", "\"bytes\" : 1000000000000");
        modelEntries.set(0, new Entry(MANIFEST, bytes(manifest)));

        assertRejected(modelEntries, "entry 'manifest.json' says model.json has 1000000000000 bytes");
    }

    @Test
    void oversizedManifestIsRejected() throws IOException {
        modelEntries.set(0, new Entry(MANIFEST, new byte[1 << 17]));

        assertRejected(modelEntries, "entry 'manifest.json' is larger than the 65536 bytes allowed");
    }

    @Test
    void damagedFileInTheArchiveIsNamed() throws IOException {
        byte[] params = modelEntries.get(1).bytes().clone();
        params[params.length - 1] ^= 1;
        modelEntries.set(1, new Entry(PARAMS, params));

        assertRejected(modelEntries, "entry 'params.bin' has SHA-256");
    }

    @Test
    void fileThatIsNoZipIsRejected() throws IOException {
        assertImportRejected(Files.writeString(directory.resolve("model.zip"), "just text"), "is not a zip archive");
    }

    @Test
    void rejectedArchiveLeavesTheModelAtTheTargetIntact() throws IOException {
        Path zip = directory.resolve("evil.zip");
        writeZip(zip, withExtra(new Entry("../evil", bytes("x"))));

        assertThrows(ModelFormatException.class, () -> ModelStore.importArchive(zip, directory.resolve("model")));
        assertSameModel(model, ModelStore.load(directory.resolve("model")));
        assertEquals(List.of("evil.zip", "model"), fileNames(directory));
    }

    @Test
    void exportRefusesADamagedModel() throws IOException {
        Path dir = directory.resolve("model");
        Files.write(dir.resolve(PARAMS), Arrays.copyOf(modelEntries.get(1).bytes(), 100));

        assertThrows(ModelFormatException.class, () -> ModelStore.exportArchive(dir, directory.resolve("model.zip")));
        assertEquals(List.of("model"), fileNames(directory));
    }

    private void assertRejected(List<Entry> entries, String problem) throws IOException {
        Path zip = directory.resolve("model.zip");
        writeZip(zip, entries);
        assertImportRejected(zip, problem);
    }

    /** Rejected naming the archive, with nothing left behind: no target, no unpacked files, no temporary directory. */
    private void assertImportRejected(Path zip, String problem) throws IOException {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelStore.importArchive(zip, directory.resolve("imported")));
        assertEquals(zip.toAbsolutePath(), e.file().toAbsolutePath(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(List.of("model", zip.getFileName().toString()), fileNames(directory));
    }

    private List<Entry> withExtra(Entry extra) {
        List<Entry> entries = new ArrayList<>(modelEntries);
        entries.add(extra);
        return entries;
    }

    private static void writeZip(Path zip, List<Entry> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Entry entry : entries) {
                out.putNextEntry(new ZipEntry(entry.name()));
                out.write(entry.bytes());
                out.closeEntry();
            }
        }
    }

    private static byte[] replaceAll(byte[] bytes, byte[] from, byte[] to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bytes.length; i++) {
            if (i + from.length <= bytes.length && Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                out.writeBytes(to);
                i += from.length - 1;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
