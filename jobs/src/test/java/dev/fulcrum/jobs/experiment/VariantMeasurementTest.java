package dev.fulcrum.jobs.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.prune.HeadPruning;
import dev.fulcrum.model.prune.PruningRule;
import dev.fulcrum.model.text.BpeLearner;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.text.PreTokenizer;
import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Active heads are those the exported model computes; all heads are those of its architecture. */
class VariantMeasurementTest {

    /** Untrained, 1 + 1 layers (encoder self, decoder self, decoder cross) of 2 heads: 6 heads. */
    private static TranslationModel gatedModel() {
        BpeModel vocabulary = BpeLearner.learn(PreTokenizer.countWords(List.of("open the file", "ouvrir le fichier")),
                300, 1);
        ModelConfig config = new ModelConfig(vocabulary.vocabulary().size(), 16, 2, 32, 1, 1, 0.0, 0.1, 16,
                ModelConfig.SOFTMAX, 3, true);
        return new TranslationModel(Transformer.initialize(config, 1, DataType.FLOAT), vocabulary,
                Provenance.of(config, TrainingConfig.defaults(), "test", "test", Instant.now()));
    }

    @Test
    void aPrunedModelHasFewerActiveHeadsThanItsArchitecture() {
        TranslationModel gated = gatedModel();
        assertEquals(6, VariantMeasurement.activeHeads(gated));
        assertEquals(6, VariantMeasurement.allHeads(gated));
        TranslationModel halved = HeadPruning.prune(gated, new PruningRule(0.5, PruningRule.Scope.LAYER));
        assertEquals(3, VariantMeasurement.activeHeads(halved), "one head of two kept in each of 3 layers");
        assertEquals(6, VariantMeasurement.allHeads(halved));
    }
}
