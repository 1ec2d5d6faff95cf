package dev.fulcrum.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.text.BpeLearner;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.text.PreTokenizer;
import dev.fulcrum.model.transformer.GraphInputs;
import dev.fulcrum.model.transformer.HeadPlan;
import dev.fulcrum.model.transformer.Transformer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small models to save and load (a tiny Transformer over a tiny learned vocabulary, with a knob history), and checks. */
final class TinyModels {
    static final BpeModel VOCABULARY = BpeLearner.learn(PreTokenizer.countWords(List.of(
            "The file could not be saved because the disk is full.",
            "Le fichier n'a pas pu être enregistré car le disque est plein.",
            "The selected file has been deleted.",
            "Le fichier sélectionné a été supprimé.")), 300, 2);
    static final ModelConfig CONFIG = new ModelConfig(VOCABULARY.vocabulary().size(), 8, 2, 12, 1, 1, 0.0, 0.1, 16,
            ModelConfig.SOFTMAX, 3, false);
    static final Provenance PROVENANCE = Provenance.of(CONFIG, TrainingConfig.defaults(),
                    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "0cb09bf",
                    Instant.parse("2024-05-01T12:00:00Z"))
            .withDecision(1, new Knobs(0.1, 0.2, 0.9, 0.0, 0.0), "entropy below band in enc0.self")
            .withDecision(2, new Knobs(0.3, 0.2, 0.9, 0.1, 0.0), "coverage of the source fell to 0.7");

    private TinyModels() {
    }

    static TranslationModel model(long seed, DataType type) {
        return new TranslationModel(Transformer.initialize(CONFIG, seed, type), VOCABULARY, PROVENANCE);
    }

    static TranslationModel pruned(HeadPlan headPlan) {
        return new TranslationModel(Transformer.initialize(CONFIG, headPlan, 5, DataType.FLOAT), VOCABULARY,
                PROVENANCE);
    }

    /** The encoder's output for a fixed ragged batch (token 0 is padding). */
    static INDArray encode(Transformer transformer) {
        INDArray source = Nd4j.createFromArray(new int[][] {{270, 271, 272, 2}, {273, 274, 2, 0}});
        return transformer.encoderGraph().output(transformer.feeds().forEncoder(source), GraphInputs.ENCODER_OUT)
                .get(GraphInputs.ENCODER_OUT);
    }

    static void assertSameModel(TranslationModel expected, TranslationModel actual) {
        assertEquals(expected.transformer().config(), actual.transformer().config());
        assertEquals(expected.vocabulary(), actual.vocabulary());
        assertEquals(expected.provenance(), actual.provenance());
        INDArray expectedParameters = expected.transformer().parameters().flat();
        INDArray actualParameters = actual.transformer().parameters().flat();
        assertEquals(expectedParameters.dataType(), actualParameters.dataType());
        assertArrayEquals(rawBits(expectedParameters), rawBits(actualParameters));
        assertArrayEquals(rawBits(encode(expected.transformer())), rawBits(encode(actual.transformer())));
    }

    /** The values' bytes, so that equality is bitwise, not within a tolerance like INDArray.equals. */
    private static byte[] rawBits(INDArray values) {
        return values.dup().data().asBytes();
    }

    static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
