package dev.fulcrum.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.io.TrainingCheckpoint.TrainerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TrainingCheckpointTest {
    private static final Knobs KNOBS = new Knobs(0.2, 0.1, 0.8, 0.3, 0.05);

    private static TrainerState state(TranslationModel model) {
        long length = 2 * model.transformer().parameters().size();
        INDArray updater = Nd4j.linspace(DataType.FLOAT, -1, 1e-4, length).reshape(1, length);
        return new TrainerState(4, 120, KNOBS, updater, 0.5);
    }

    @Test
    void roundTripsModelAndTrainerStateExactly(@TempDir Path dir) throws IOException {
        TranslationModel model = TinyModels.model(3, DataType.FLOAT);
        TrainerState state = state(model);
        TrainingCheckpoint.save(dir.resolve("round-0004"), model, state);
        TrainingCheckpoint.Loaded loaded = TrainingCheckpoint.load(dir.resolve("round-0004"));
        TinyModels.assertSameModel(model, loaded.model());
        assertEquals(4, loaded.state().round());
        assertEquals(120, loaded.state().step());
        assertEquals(KNOBS, loaded.state().knobs());
        assertEquals(0.5, loaded.state().learningRateScale());
        assertArrayEquals(state.updaterState().toFloatVector(), loaded.state().updaterState().toFloatVector());
        TinyModels.assertSameModel(model, ModelStore.load(dir.resolve("round-0004/model")));
    }

    /**
     * A checkpoint of a tiny model in {@code dir/ck} whose index has its first match of {@code pattern} replaced
     * by {@code replacement} (which must change it).
     */
    private static Path withEditedIndex(Path dir, String pattern, String replacement) throws IOException {
        TranslationModel model = TinyModels.model(3, DataType.FLOAT);
        Path checkpoint = dir.resolve("ck");
        TrainingCheckpoint.save(checkpoint, model, state(model));
        Path index = checkpoint.resolve(ModelLayout.MANIFEST);
        String current = Files.readString(index);
        String edited = current.replaceFirst(pattern, replacement);
        assertNotEquals(current, edited);
        Files.writeString(index, edited);
        return checkpoint;
    }

    @Test
    void anIndexWrittenBeforeTheDecoderGateScaleExistedLoadsWithEvenGates(@TempDir Path dir) throws IOException {
        Path older = withEditedIndex(dir, ",\\s*\"decoderGateScale\"\\s*:\\s*[0-9.]+", "");
        assertEquals(KNOBS, TrainingCheckpoint.load(older).state().knobs());
    }

    /** Issue 16, item 4: the index is read before any checksum can vouch for it. */
    @Test
    void anIndexWithAnImpossibleUpdaterLengthIsRefused(@TempDir Path dir) throws IOException {
        Path crafted = withEditedIndex(dir, "\"updaterLength\"\\s*:\\s*[0-9]+", "\"updaterLength\" : 4000000000000");
        ModelFormatException refused = assertThrows(ModelFormatException.class, () -> TrainingCheckpoint.load(crafted));
        assertTrue(refused.getMessage().contains("4000000000000"), refused.getMessage());
    }

    @Test
    void anIndexWrittenBeforeRollbacksExistedRunsAtTheSchedulesRate(@TempDir Path dir) throws IOException {
        Path older = withEditedIndex(dir, ",\\s*\"learningRateScale\"\\s*:\\s*[0-9.]+", "");
        assertEquals(1.0, TrainingCheckpoint.load(older).state().learningRateScale());
    }

    @Test
    void damagedUpdaterStateOrModelIsNamed(@TempDir Path dir) throws IOException {
        TranslationModel model = TinyModels.model(3, DataType.FLOAT);
        Path checkpoint = dir.resolve("ck");
        TrainingCheckpoint.save(checkpoint, model, state(model));
        flipByte(checkpoint.resolve("updater.bin"), 100);
        ModelFormatException updater = assertThrows(ModelFormatException.class, () -> TrainingCheckpoint.load(checkpoint));
        assertTrue(updater.getMessage().contains("updater.bin"), updater.getMessage());

        TrainingCheckpoint.save(checkpoint, model, state(model));
        flipByte(checkpoint.resolve("model/params.bin"), 40);
        ModelFormatException params = assertThrows(ModelFormatException.class, () -> TrainingCheckpoint.load(checkpoint));
        assertTrue(params.getMessage().contains("params.bin"), params.getMessage());
    }

    @Test
    void aModelDirectoryIsNotACheckpointAndViceVersa(@TempDir Path dir) throws IOException {
        TranslationModel model = TinyModels.model(3, DataType.FLOAT);
        ModelStore.save(model, dir.resolve("model"));
        assertThrows(ModelFormatException.class, () -> TrainingCheckpoint.load(dir.resolve("model")));
        TrainingCheckpoint.save(dir.resolve("ck"), model, state(model));
        assertThrows(ModelFormatException.class, () -> ModelStore.load(dir.resolve("ck")));
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0xFF);
        }
    }
}
