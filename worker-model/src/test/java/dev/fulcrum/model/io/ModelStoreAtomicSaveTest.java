package dev.fulcrum.model.io;

import static dev.fulcrum.model.io.ModelLayout.MODEL;
import static dev.fulcrum.model.io.ModelLayout.PARAMS;
import static dev.fulcrum.model.io.TinyModels.assertSameModel;
import static dev.fulcrum.model.io.TinyModels.fileNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.List;

import dev.fulcrum.model.TranslationModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** A save that fails part way leaves the previous model at the target and nothing beside it. */
class ModelStoreAtomicSaveTest {
    private static TranslationModel previous;
    private static TranslationModel next;

    @TempDir
    Path directory;
    private Path target;

    @BeforeAll
    static void buildModels() {
        previous = TinyModels.model(31, DataType.FLOAT);
        next = TinyModels.model(32, DataType.FLOAT);
    }

    @BeforeEach
    void savePrevious() throws IOException {
        target = directory.resolve("model");
        ModelStore.save(previous, target);
    }

    @Test
    void failureWhileWritingTheVocabularyLeavesThePreviousModel() throws IOException {
        IOException e = assertThrows(IOException.class, () -> AtomicReplace.directory(target, staging -> {
            ParamsFile.write(next.transformer().parameters().flat(), staging.resolve(PARAMS));
            ModelDescription.of(next.transformer()).write(staging.resolve(MODEL));
            throw new IOException("disk full while writing vocab.json");
        }));

        assertEquals("disk full while writing vocab.json", e.getMessage());
        assertPreviousModelAloneAtTarget();
    }

    @Test
    void interruptedSaveLeavesThePreviousModel() throws IOException {
        Thread.currentThread().interrupt();
        try {
            assertThrows(ClosedByInterruptException.class, () -> ModelStore.save(next, target));
        } finally {
            Thread.interrupted();
        }
        assertPreviousModelAloneAtTarget();
    }

    @Test
    void failedFirstSaveLeavesNothing() throws IOException {
        Path fresh = directory.resolve("fresh");
        assertThrows(IOException.class, () -> AtomicReplace.directory(fresh, staging -> {
            ParamsFile.write(next.transformer().parameters().flat(), staging.resolve(PARAMS));
            throw new IOException("simulated crash");
        }));

        assertEquals(List.of("model"), fileNames(directory));
    }

    private void assertPreviousModelAloneAtTarget() throws IOException {
        assertSameModel(previous, ModelStore.load(target));
        assertEquals(List.of("model"), fileNames(directory));
    }
}
