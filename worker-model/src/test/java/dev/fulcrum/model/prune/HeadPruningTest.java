package dev.fulcrum.model.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.ConfigException;
import dev.fulcrum.model.io.ModelStore;
import dev.fulcrum.model.prune.PruningRule.Scope;
import dev.fulcrum.model.transformer.HeadPlan;
import dev.fulcrum.model.transformer.GraphInputs;
import dev.fulcrum.model.transformer.Transformer;
import dev.fulcrum.model.transformer.TransformerGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@TestInstance(Lifecycle.PER_CLASS)
class HeadPruningTest {
    private TranslationModel gated;
    private ModelOutputs gatedOutputs;

    @BeforeAll
    void gatedModel() {
        gated = GatedModels.model(11);
        gatedOutputs = ModelOutputs.of(gated.transformer());
    }

    @Test
    void gateValuesAreExactlyZeroWhenClosedAndOneWhenFullyOpen() {
        Map<String, double[]> gates = HeadGates.of(gated.transformer()).values();

        assertEquals(GatedModels.LOG_ALPHA.keySet(), gates.keySet());
        GatedModels.LOG_ALPHA.forEach((layer, alphas) -> {
            for (int h = 0; h < alphas.length; h++) {
                double stretched = 1 / (1 + Math.exp(-alphas[h])) * 1.2 - 0.1;
                double expected = Math.min(1, Math.max(0, stretched));
                double actual = gates.get(layer)[h];
                if (expected == 0 || expected == 1) {
                    assertEquals(expected, actual, 0.0, layer + " head " + h);
                } else {
                    assertEquals(expected, actual, 1e-6, layer + " head " + h);
                }
            }
        });
    }

    @Test
    void remainingHeadsCountTheKeptHeads() {
        assertEquals(24, gated.remainingHeads(), "not pruned: every head");
        TranslationModel pruned = HeadPruning.prune(gated, PruningRule.CLOSED_GATES);
        assertEquals(16, pruned.remainingHeads(), "8 of the 24 gates are closed, dec0.cross entirely");
        assertEquals(16, pruned.transformer().headPlan().totalHeads(pruned.transformer().config()));
        assertEquals(24, pruned.architectureHeads());
    }

    @Test
    void aLayerWithNoHeadLeftIsNotComputedAtAll() {
        TranslationModel pruned = HeadPruning.prune(gated);
        Set<String> names = Set.copyOf(pruned.transformer().parameters().names());

        assertFalse(pruned.transformer().headPlan().computes("dec0.cross"));
        assertFalse(names.contains("dec0.cross.wq"), "no projections of the removed layer");
        assertFalse(names.contains("dec0.ln2.g"), "nor the norm in front of it");
        assertTrue(names.contains("dec1.cross.wq") && names.contains("dec1.ln2.g"));
        assertFalse(pruned.transformer().evaluationGraph().hasVariable(TransformerGraph.attentionWeights("dec0.cross")));
    }

    @Test
    void aModelWithoutAnyCrossAttentionLeftStillTranslates() {
        Map<String, int[]> closed = Map.of("dec0.cross", new int[] {0, 1, 2, 3}, "dec1.cross", new int[] {0, 1, 2, 3});
        TranslationModel noCross = new TranslationModel(GatedModels.withClosedGates(gated, closed),
                gated.vocabulary(), gated.provenance());
        TranslationModel pruned = HeadPruning.prune(noCross);

        assertEquals(0, pruned.transformer().headPlan().keptHeads().get("dec1.cross"));
        ModelOutputs.of(pruned.transformer()).assertSameAs(ModelOutputs.of(noCross.transformer()));
        Transformer model = pruned.transformer();
        INDArray source = Nd4j.createFromArray(new int[][] {{5, 6, 2}});
        INDArray encoded = model.encoderGraph().output(model.feeds().forEncoder(source), GraphInputs.ENCODER_OUT)
                .get(GraphInputs.ENCODER_OUT);
        INDArray attention = model.decoderGraph().output(model.feeds().forDecoderStep(source, encoded,
                Nd4j.createFromArray(new int[][] {{1, 7}})), GraphInputs.LAST_CROSS_ATTENTION)
                .get(GraphInputs.LAST_CROSS_ATTENTION);
        assertArrayEquals(new long[] {1, 3}, attention.shape());
        assertEquals(0.0, attention.sumNumber().doubleValue(), 0.0, "attends nowhere");
    }

    @Test
    void removingClosedHeadsChangesNoOutput() {
        TranslationModel pruned = HeadPruning.prune(gated);

        assertEquals(plan(3, 4, 2, 0, 4, 3), pruned.transformer().headPlan());
        assertEquals(16, pruned.transformer().headPlan().totalHeads(pruned.transformer().config()));
        assertEquals(24, gated.transformer().headPlan().totalHeads(gated.transformer().config()));
        ModelOutputs.of(pruned.transformer()).assertSameAs(gatedOutputs);
    }

    @Test
    void globalBudgetRemovesTheLeastOpenHeadsAsIfTheirGatesWereClosed() {
        TranslationModel pruned = HeadPruning.prune(gated, new PruningRule(0.5, Scope.GLOBAL));

        assertEquals(plan(2, 3, 2, 0, 3, 2), pruned.transformer().headPlan());
        Transformer closed = GatedModels.withClosedGates(gated, Map.of("dec1.self", new int[] {1},
                "enc0.self", new int[] {3}, "enc1.self", new int[] {2}, "dec1.cross", new int[] {1}));
        ModelOutputs expected = ModelOutputs.of(closed);
        assertNotEquals(gatedOutputs.nll(), expected.nll(), 1e-4, "closing those heads matters");
        ModelOutputs.of(pruned.transformer()).assertSameAs(expected);
    }

    @Test
    void layerBudgetKeepsTheMostOpenHeadsOfEachLayer() {
        TranslationModel pruned = HeadPruning.prune(gated, new PruningRule(0.5, Scope.LAYER));

        Map<String, List<Integer>> kept = pruned.provenance().pruning().get(0).keptHeads();
        assertEquals(List.of(1, 2), kept.get("enc0.self"));
        assertEquals(List.of(0, 3), kept.get("enc1.self"));
        assertEquals(List.of(1, 3), kept.get("dec0.self"));
        assertEquals(List.of(), kept.get("dec0.cross"));
        assertEquals(List.of(0, 3), kept.get("dec1.self"));
        assertEquals(List.of(0, 2), kept.get("dec1.cross"));
        Transformer closed = GatedModels.withClosedGates(gated, Map.of("enc0.self", new int[] {3},
                "enc1.self", new int[] {1, 2}, "dec1.self", new int[] {1, 2}, "dec1.cross", new int[] {1}));
        ModelOutputs.scores(pruned.transformer()).assertSameAs(ModelOutputs.scores(closed));
    }

    @Test
    void provenanceRecordsTheRuleAndTheHeadsKept() {
        TranslationModel pruned = HeadPruning.prune(gated, new PruningRule(0.5, Scope.GLOBAL));

        assertEquals(gated.provenance().knobHistory(), pruned.provenance().knobHistory());
        assertEquals(List.of(), gated.provenance().pruning());
        Provenance.Pruning record = pruned.provenance().pruning().get(0);
        assertEquals(0.5, record.budget());
        assertEquals("GLOBAL", record.scope());
        assertEquals(4, record.headsPerLayer());
        assertEquals(12, record.keptTotal());
        assertEquals(List.of("enc0.self", "enc1.self", "dec0.self", "dec0.cross", "dec1.self", "dec1.cross"),
                List.copyOf(record.keptHeads().keySet()));
    }

    @Test
    void prunedModelSurvivesSaveAndLoad(@TempDir Path directory) throws IOException {
        TranslationModel pruned = HeadPruning.prune(gated);
        ModelStore.save(pruned, directory.resolve("model"));
        TranslationModel loaded = ModelStore.load(directory.resolve("model"));

        assertEquals(pruned.transformer().headPlan(), loaded.transformer().headPlan());
        assertEquals(16, loaded.transformer().headPlan().totalHeads(loaded.transformer().config()));
        assertEquals(pruned.provenance(), loaded.provenance());
        ModelOutputs.of(loaded.transformer()).assertSameAs(gatedOutputs);
    }

    @Test
    void prunedModelSharesNoParameterWithTheGatedOne() {
        TranslationModel pruned = HeadPruning.prune(gated);
        float[] gatedParameters = gated.transformer().parameters().flat().toFloatVector();
        pruned.transformer().parameters().flat().assign(0);

        assertArrayEquals(gatedParameters, gated.transformer().parameters().flat().toFloatVector());
    }

    @Test
    void refusesModelsWithoutGatesAndModelsPrunedAlready() {
        TranslationModel ungated = new TranslationModel(Transformer.initialize(
                GatedModels.CONFIG.withAttention("softmax", 3, false), 1, DataType.FLOAT), GatedModels.VOCABULARY,
                GatedModels.provenance(GatedModels.CONFIG.withAttention("softmax", 3, false)));
        TranslationModel pruned = HeadPruning.prune(gated);

        assertTrue(assertThrows(IllegalArgumentException.class, () -> HeadPruning.prune(ungated)).getMessage()
                .contains("without head gates"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HeadPruning.prune(pruned)).getMessage()
                .contains("pruned already"));
    }

    @Test
    void budgetMustBeAFractionOfTheHeads() {
        assertThrows(ConfigException.class, () -> new PruningRule(0, Scope.GLOBAL));
        assertThrows(ConfigException.class, () -> new PruningRule(1.5, Scope.LAYER));
        assertEquals(3, new PruningRule(0.3, Scope.GLOBAL).allowed(10));
    }

    private static HeadPlan plan(int... heads) {
        List<String> layers = List.copyOf(GatedModels.LOG_ALPHA.keySet());
        Map<String, Integer> kept = new LinkedHashMap<>();
        for (int i = 0; i < heads.length; i++) {
            kept.put(layers.get(i), heads[i]);
        }
        return new HeadPlan(kept);
    }
}
