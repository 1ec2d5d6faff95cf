package dev.fulcrum.model.attention.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import dev.fulcrum.model.attention.BalancedAttention.Kind;
import dev.fulcrum.model.attention.dl4j.AttentionStack.Variant;
import dev.fulcrum.model.config.ConfigException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/** Configuration: JSON round trip inside a graph, deep clone with the inherited fields, validation. */
class BalancedAttentionVertexConfigTest {

    @ParameterizedTest
    @EnumSource(Variant.class)
    void graphConfigurationSurvivesJson(Variant variant) {
        ComputationGraphConfiguration original = AttentionStack.configuration(variant, BalancedAttentionVertex::new,
                new Adam(1e-3), DataType.FLOAT);
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(original.toJson());
        assertEquals(original, restored);
        for (String vertex : AttentionStack.VERTICES) {
            assertEquals(original.getVertices().get(vertex), restored.getVertices().get(vertex), vertex);
            assertEquals(new Adam(1e-3), ((BalancedAttentionVertex) restored.getVertices().get(vertex)).getUpdater());
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void clonedGraphConfigurationKeepsTheVertexUpdater(Variant variant) {
        ComputationGraphConfiguration original = AttentionStack.configuration(variant, BalancedAttentionVertex::new,
                new Adam(1e-3), DataType.FLOAT);
        ComputationGraphConfiguration copy = original.clone();
        for (String vertex : AttentionStack.VERTICES) {
            assertEquals(original.getVertices().get(vertex), copy.getVertices().get(vertex), vertex);
            assertEquals(new Adam(1e-3), ((BalancedAttentionVertex) copy.getVertices().get(vertex)).getUpdater());
        }
    }

    @Test
    void cloneIsDeepAndCopiesWhatSameDiffVertexHolds() {
        BalancedAttentionVertex vertex = fullyConfigured();
        BalancedAttentionVertex copy = vertex.clone();
        assertEquals(vertex, copy);
        assertEquals(vertex.hashCode(), copy.hashCode());
        assertNotSame(vertex.getUpdater(), copy.getUpdater());
        assertNotSame(vertex.getRegularization(), copy.getRegularization());
        ((Adam) copy.getUpdater()).setLearningRate(0.5);
        assertEquals(new Adam(2e-3), vertex.getUpdater());
    }

    @Test
    void inheritedFieldsTakePartInEquality() {
        BalancedAttentionVertex copy = fullyConfigured().clone();
        copy.setGradientNormalizationThreshold(2.0);
        assertNotEquals(fullyConfigured(), copy);
    }

    @Test
    void vertexAloneSurvivesJsonWithAllFields() {
        BalancedAttentionVertex vertex = fullyConfigured();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .graphBuilder().addInputs("in").addVertex("attention", vertex, "in").setOutputs("attention").build();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(vertex, restored.getVertices().get("attention"));
    }

    @Test
    void outputTypeIsTheQueriesSequence() {
        BalancedAttentionVertex cross = new BalancedAttentionVertex(8, 2, Kind.CROSS);
        assertEquals(InputType.recurrent(8, 5, RNNFormat.NCW),
                cross.getOutputType(0, InputType.recurrent(8, 5, RNNFormat.NCW), InputType.recurrent(8, 3, RNNFormat.NCW)));
    }

    @Test
    void crossAttentionTakesTwoInputsAndSelfAttentionOne() {
        assertEquals(2, new BalancedAttentionVertex(8, 2, Kind.CROSS).getVertexParams().getInputs().size());
        assertEquals(1, new BalancedAttentionVertex(8, 2, Kind.CAUSAL).getVertexParams().getInputs().size());
    }

    @Test
    void gatesAddOneParameterPerHead() {
        BalancedAttentionVertex vertex = new BalancedAttentionVertex(8, 2, Kind.SELF);
        long ungated = vertex.numParams(true);
        assertEquals(4 * 8 * 8 + 2, ungated);
        assertEquals(ungated + 2, vertex.withHeadGates().numParams(true));
    }

    @Test
    void invalidSettingsAreRejectedByName() {
        assertEquals("vertex.heads", assertThrows(ConfigException.class,
                () -> new BalancedAttentionVertex(8, 3, Kind.SELF)).key());
        assertEquals("vertex.modelDim", assertThrows(ConfigException.class,
                () -> new BalancedAttentionVertex(2, 1, Kind.SELF)).key());
        assertEquals("vertex.normalization", assertThrows(ConfigException.class,
                () -> new BalancedAttentionVertex(8, 2, Kind.CAUSAL).withSinkhorn(3)).key());
        assertEquals("vertex.sinkhornIterations", assertThrows(ConfigException.class,
                () -> new BalancedAttentionVertex(8, 2, Kind.SELF).withSinkhorn(0)).key());
        assertEquals("vertex.normalization", assertThrows(ConfigException.class,
                () -> new BalancedAttentionVertex().setNormalization("sparsemax")).key());
        assertEquals("vertex.kind", assertThrows(ConfigException.class,
                () -> new BalancedAttentionVertex().setKind(null)).key());
    }

    @Test
    void unsetModelDimIsReportedWhenTheGraphIsBuilt() {
        assertEquals("vertex.modelDim", assertThrows(ConfigException.class,
                () -> new BalancedAttentionVertex().getVertexParams()).key());
    }

    private static BalancedAttentionVertex fullyConfigured() {
        BalancedAttentionVertex vertex = new BalancedAttentionVertex(16, 4, Kind.CROSS).withSinkhorn(5).withHeadGates();
        vertex.setName("attention");
        vertex.setUpdater(new Adam(2e-3));
        vertex.setBiasUpdater(new Sgd(0.1));
        vertex.setRegularization(List.of(new L2Regularization(1e-4)));
        vertex.setRegularizationBias(List.of(new WeightDecay(1e-5, true)));
        vertex.setGradientNormalization(GradientNormalization.ClipL2PerLayer);
        vertex.setGradientNormalizationThreshold(1.5);
        vertex.setDataType(DataType.FLOAT);
        return vertex;
    }
}
