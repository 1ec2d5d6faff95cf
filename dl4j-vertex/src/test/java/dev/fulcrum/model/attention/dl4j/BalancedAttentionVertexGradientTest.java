package dev.fulcrum.model.attention.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.fulcrum.model.attention.dl4j.AttentionStack.Variant;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** DL4J finite-difference gradient checks of the whole stack, in double precision, with ragged masks. */
class BalancedAttentionVertexGradientTest {
    private static final int[] QUERY_LENGTHS = {5, 3, 4};
    private static final int[] MEMORY_LENGTHS = {4, 2, 1};
    /** SameDiff vertices between each layer's parameters and the loss (its own included). */
    private static final Map<String, Integer> VERTICES_ABOVE = Map.of(
            "embed", 3, "self1", 3, "self2", 2, "cross", 1, "memoryEmbed", 1, "out", 0);

    private static DataType previousType;
    private static DataType previousFloatType;

    @BeforeAll
    static void doublePrecision() {
        previousType = Nd4j.dataType();
        previousFloatType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(previousType, previousFloatType);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void correctedStackPassesTheGradientCheck(Variant variant) {
        assertTrue(passesGradientCheck(graph(variant, BalancedAttentionVertex::new), false), variant.name());
    }

    @Test
    void stockRuntimeGradientsAreTheTrueOnesTimesTheGainPerVertexAbove() {
        ComputationGraph corrected = graph(Variant.SINKHORN, BalancedAttentionVertex::new);
        ComputationGraph stock = graph(Variant.SINKHORN, StockRuntimeVertex::new);
        stock.setParams(corrected.params());
        Map<String, INDArray> trueGradients = gradients(corrected);
        Map<String, INDArray> stockGradients = gradients(stock);
        double gain = ExternalErrorsGain.measure();
        for (Map.Entry<String, INDArray> entry : trueGradients.entrySet()) {
            String layer = entry.getKey().substring(0, entry.getKey().indexOf('_'));
            INDArray expected = entry.getValue().mul(Math.pow(gain, VERTICES_ABOVE.get(layer)));
            assertTrue(expected.equalsWithEps(stockGradients.get(entry.getKey()), 1e-12 * (1 + expected.amaxNumber()
                    .doubleValue())), entry.getKey());
        }
    }

    @Test
    void stockRuntimeFailsTheGradientCheckExactlyWhileTheGainIsNotOne() {
        boolean stockPasses = passesGradientCheck(graph(Variant.SINKHORN, StockRuntimeVertex::new), true);
        assertEquals(ExternalErrorsGain.measure() == 1.0, stockPasses);
    }

    private static ComputationGraph graph(Variant variant, AttentionStack.VertexFactory vertices) {
        return AttentionStack.graph(variant, vertices, new NoOp(), DataType.DOUBLE);
    }

    private static boolean passesGradientCheck(ComputationGraph graph, boolean exitOnFirstError) {
        MultiDataSet data = data();
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(data.getFeatures())
                .labels(data.getLabels())
                .inputMask(data.getFeaturesMaskArrays())
                .labelMask(data.getLabelsMaskArrays())
                // 1e-4, not the usual 1e-6: many gradients here are ~1e-7, where the round-off of a 1e-6 step
                // alone gives relative errors of 1e-3; with 1e-4 the worst seen was 1e-9.
                .epsilon(1e-4)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-10)
                .exitOnFirstError(exitOnFirstError));
    }

    private static Map<String, INDArray> gradients(ComputationGraph graph) {
        MultiDataSet data = data();
        graph.setInputs(data.getFeatures());
        graph.setLabels(data.getLabels());
        graph.setLayerMaskArrays(data.getFeaturesMaskArrays(), data.getLabelsMaskArrays());
        graph.computeGradientAndScore();
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        graph.gradient().gradientForVariable().forEach((name, gradient) -> gradients.put(name, gradient.dup()));
        return gradients;
    }

    private static MultiDataSet data() {
        return AttentionStack.data(7, DataType.DOUBLE, QUERY_LENGTHS, MEMORY_LENGTHS);
    }
}
