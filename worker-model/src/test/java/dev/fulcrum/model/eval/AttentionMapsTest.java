package dev.fulcrum.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.text.BpeLearner;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.text.BpeTokenizer;
import dev.fulcrum.model.text.PreTokenizer;
import dev.fulcrum.model.transformer.HeadPlan;
import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class AttentionMapsTest {
    private static final List<String> SOURCES = List.of("The selected file has been deleted.",
            "The disk is full.", "The file could not be saved because the disk is full.");
    private static final List<String> TARGETS = List.of("Le fichier sélectionné a été supprimé.",
            "Le disque est plein.", "Le fichier n'a pas pu être enregistré car le disque est plein.");
    private static final BpeModel VOCABULARY = BpeLearner.learn(PreTokenizer.countWords(
            concat(SOURCES, TARGETS)), 300, 2);
    private static final ModelConfig CONFIG = new ModelConfig(VOCABULARY.vocabulary().size(), 16, 2, 24, 1, 1, 0.0,
            0.1, 64, ModelConfig.SOFTMAX, 3, false);
    private static final List<String> LAYERS = List.of("enc0.self", "dec0.self", "dec0.cross");
    private static final float TOLERANCE = 1e-5f;

    @Test
    void everyLayerAndHeadHasAMatrixOfItsTokens() {
        List<AttentionMap> maps = AttentionMaps.of(model(HeadPlan.FULL), SOURCES, TARGETS);
        BpeTokenizer tokenizer = new BpeTokenizer(VOCABULARY);

        assertEquals(3, maps.size());
        for (int i = 0; i < maps.size(); i++) {
            AttentionMap map = maps.get(i);
            List<String> source = new ArrayList<>(pieces(tokenizer.encode(SOURCES.get(i))));
            source.add("<eos>");
            List<String> target = new ArrayList<>(List.of("<bos>"));
            target.addAll(pieces(tokenizer.encode(TARGETS.get(i))));
            assertEquals(source, map.sourceTokens());
            assertEquals(target, map.targetTokens());
            assertEquals(LAYERS, List.copyOf(map.layers().keySet()));
            assertShape(map.layers().get("enc0.self"), 2, source.size(), source.size());
            assertShape(map.layers().get("dec0.self"), 2, target.size(), target.size());
            assertShape(map.layers().get("dec0.cross"), 2, target.size(), source.size());
        }
        assertEquals("▁The", maps.get(0).sourceTokens().get(0), "pieces as the vocabulary spells them");
    }

    @Test
    void rowsAreDistributionsOverRealTokensAndTheDecoderNeverSeesTheFuture() {
        for (AttentionMap map : AttentionMaps.of(model(HeadPlan.FULL), SOURCES, TARGETS)) {
            map.layers().forEach((layer, heads) -> {
                for (float[][] head : heads) {
                    for (float[] row : head) {
                        float sum = 0;
                        for (float weight : row) {
                            sum += weight;
                        }
                        // The full row (padding included) sums to 1: all of it is on the real tokens.
                        assertEquals(1f, sum, TOLERANCE, layer);
                    }
                }
            });
            for (float[][] head : map.layers().get("dec0.self")) {
                for (int q = 0; q < head.length; q++) {
                    for (int k = q + 1; k < head[q].length; k++) {
                        assertEquals(0f, head[q][k], "query " + q + " key " + k);
                    }
                }
            }
        }
    }

    /**
     * Sinkhorn's column step couples every query of a layer: in cross-attention it would let a target position
     * see later target tokens (through their queries). A Sinkhorn model therefore balances only the encoder's
     * self-attention: a target's cross-attention rows must not change when only later target words do.
     */
    @Test
    void aSinkhornModelsDecoderNeverSeesLaterTargetWords() {
        ModelConfig sinkhorn = new ModelConfig(CONFIG.vocabSize(), 16, 2, 24, 1, 1, 0.0, 0.1, 64,
                ModelConfig.SINKHORN, 4, false);
        TranslationModel model = model(sinkhorn, HeadPlan.FULL);
        String source = SOURCES.get(1);
        List<AttentionMap> maps = AttentionMaps.of(model, List.of(source, source),
                List.of("Le disque est plein.", "Le disque a été supprimé."));
        int shared = 4; // <bos> ▁Le ▁disque + at least the first piece of the rest differ after this

        for (String layer : List.of("dec0.self", "dec0.cross")) {
            for (int h = 0; h < 2; h++) {
                for (int q = 0; q < shared - 1; q++) {
                    // Keys beyond the shared prefix: later target words (self) get no weight anyway.
                    float[] first = java.util.Arrays.copyOf(maps.get(0).layers().get(layer)[h][q], 15);
                    float[] second = java.util.Arrays.copyOf(maps.get(1).layers().get(layer)[h][q], 15);
                    assertArrayEquals(first, second, TOLERANCE, layer + " head " + h + " query " + q);
                }
            }
        }
    }

    @Test
    void paddingInTheBatchChangesNoWeight() {
        TranslationModel model = model(HeadPlan.FULL);
        AttentionMap batched = AttentionMaps.of(model, SOURCES, TARGETS).get(1);
        AttentionMap alone = AttentionMaps.of(model, SOURCES.subList(1, 2), TARGETS.subList(1, 2)).get(0);

        for (String layer : LAYERS) {
            float[][][] expected = alone.layers().get(layer);
            for (int h = 0; h < expected.length; h++) {
                for (int q = 0; q < expected[h].length; q++) {
                    assertArrayEquals(expected[h][q], batched.layers().get(layer)[h][q], TOLERANCE, layer);
                }
            }
        }
    }

    @Test
    void prunedLayersShowTheHeadsTheyKept() {
        AttentionMap map = AttentionMaps.of(model(new HeadPlan(Map.of("dec0.cross", 1))), SOURCES, TARGETS).get(0);

        assertEquals(2, map.layers().get("enc0.self").length);
        assertEquals(1, map.layers().get("dec0.cross").length);
    }

    @Test
    void sourcesAndTargetsMustPairUp() {
        assertThrows(IllegalArgumentException.class,
                () -> AttentionMaps.of(model(HeadPlan.FULL), SOURCES, TARGETS.subList(0, 2)));
        assertEquals(List.of(), AttentionMaps.of(model(HeadPlan.FULL), List.of(), List.of()));
    }

    @Test
    void aMatrixThatDoesNotFitItsTokensIsRejected() {
        float[][][] twoByTwo = {{{0.5f, 0.5f}, {0.5f, 0.5f}}};
        List<String> two = List.of("▁a", "<eos>");
        List<String> three = List.of("<bos>", "▁b", "▁c");

        assertEquals(2, new AttentionMap(two, three, Map.of("enc0.self", twoByTwo)).queries("enc0.self"));
        assertThrows(IllegalArgumentException.class, () -> new AttentionMap(two, three, Map.of("dec0.self", twoByTwo)));
        assertThrows(IllegalArgumentException.class, () -> new AttentionMap(two, three, Map.of("dec0.cross", twoByTwo)));
        assertThrows(IllegalArgumentException.class, () -> new AttentionMap(two, three, Map.of("enc0.cross", twoByTwo)));
    }

    @Test
    void sidesLongerThanTheModelAcceptsAreCut() {
        ModelConfig shortSentences = new ModelConfig(CONFIG.vocabSize(), 16, 2, 24, 1, 1, 0.0, 0.1, 8,
                ModelConfig.SOFTMAX, 3, false);
        AttentionMap map = AttentionMaps.of(model(shortSentences, HeadPlan.FULL), SOURCES.subList(0, 1),
                TARGETS.subList(0, 1)).get(0);

        assertEquals(8, map.sourceTokens().size());
        assertEquals("<eos>", map.sourceTokens().get(7));
        assertEquals(8, map.targetTokens().size());
        assertShape(map.layers().get("dec0.cross"), 2, 8, 8);
    }

    private static TranslationModel model(HeadPlan plan) {
        return model(CONFIG, plan);
    }

    private static TranslationModel model(ModelConfig config, HeadPlan plan) {
        return new TranslationModel(Transformer.initialize(config, plan, 3, DataType.FLOAT), VOCABULARY,
                Provenance.of(config, TrainingConfig.defaults(), "sha256:00", "0cb09bf",
                        Instant.parse("2024-05-01T12:00:00Z")));
    }

    private static void assertShape(float[][][] heads, int count, int queries, int keys) {
        assertEquals(count, heads.length);
        for (float[][] head : heads) {
            assertEquals(queries, head.length);
            for (float[] row : head) {
                assertEquals(keys, row.length);
            }
        }
    }

    private static List<String> pieces(int[] ids) {
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            pieces.add(VOCABULARY.vocabulary().token(id));
        }
        return pieces;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
