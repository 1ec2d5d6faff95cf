package dev.fulcrum.model.attention.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import dev.fulcrum.model.attention.BalancedAttention.Kind;
import dev.fulcrum.model.attention.dl4j.AttentionStack.Variant;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/** What the masks guarantee, through DL4J's inference path (float, workspaces on) and in the definition. */
class BalancedAttentionVertexMaskTest {
    private static final int[] QUERY_LENGTHS = {6, 4, 5, 2};
    private static final int[] MEMORY_LENGTHS = {5, 3, 1, 4};

    @Test
    void paddedMemoryTokensDoNotChangeTheOutput() {
        ComputationGraph graph = untrained(Variant.CROSS);
        MultiDataSet data = data(4);
        INDArray[] changed = copies(data.getFeatures());
        // Example 2 has one memory token: overwrite all of its padding.
        changed[1].get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.interval(1, 5)).assign(3);
        assertValidOutputsEqual(data, output(graph, data.getFeatures(), data), output(graph, changed, data));
    }

    @Test
    void causalOutputsDoNotDependOnLaterTokens() {
        ComputationGraph graph = untrained(Variant.CAUSAL);
        MultiDataSet data = data(5);
        INDArray[] changed = copies(data.getFeatures());
        INDArray lastToken = changed[0].get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.point(5));
        lastToken.assign((lastToken.getInt() + 1) % AttentionStack.VOCAB);
        INDArray before = output(graph, data.getFeatures(), data);
        INDArray after = output(graph, changed, data);
        INDArrayIndex[] earlier = {NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(0, 5)};
        assertTrue(before.get(earlier).equalsWithEps(after.get(earlier), 1e-6));
        INDArrayIndex[] last = {NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(5)};
        assertFalse(before.get(last).equalsWithEps(after.get(last), 1e-6), "the changed token must matter");
    }

    @Test
    void graphWithoutMasksTreatsEveryPositionAsValid() {
        ComputationGraph graph = untrained(Variant.SINKHORN);
        MultiDataSet data = AttentionStack.data(6, DataType.FLOAT, new int[] {4, 4}, new int[] {3, 3});
        INDArray unmasked = graph.output(false, data.getFeatures(), null)[0];
        assertTrue(unmasked.equalsWithEps(output(graph, data.getFeatures(), data), 1e-6));
        assertEquals(3, unmasked.rank());
    }

    /** DL4J M2.1 always passes masks (all ones when there are none); the definition must not need them. */
    @Test
    void definitionWithoutMaskMapEqualsAllOnesMasks() {
        BalancedAttentionVertex vertex = new BalancedAttentionVertex(4, 2, Kind.CROSS).withSinkhorn(3);
        INDArray queries = Nd4j.rand(DataType.DOUBLE, 2, 4, 3);
        INDArray memory = Nd4j.rand(DataType.DOUBLE, 2, 4, 5);
        INDArray withoutMasks = defined(vertex, queries, memory, false);
        assertTrue(withoutMasks.equalsWithEps(defined(vertex, queries, memory, true), 1e-12));
        assertEquals(3, withoutMasks.size(2));
    }

    private static INDArray defined(BalancedAttentionVertex vertex, INDArray queries, INDArray memory,
                                    boolean onesMasks) {
        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> inputs = Map.of(BalancedAttentionVertex.QUERIES, sd.constant(queries),
                BalancedAttentionVertex.MEMORY, sd.constant(memory));
        Nd4j.getRandom().setSeed(11);
        Map<String, SDVariable> params = new HashMap<>();
        vertex.getVertexParams().getParamShapes().forEach(
                (name, shape) -> params.put(name, sd.var(name, Nd4j.rand(DataType.DOUBLE, shape))));
        Map<String, SDVariable> masks = onesMasks ? Map.of(
                BalancedAttentionVertex.QUERIES, sd.constant(Nd4j.ones(DataType.DOUBLE, 2, 3)),
                BalancedAttentionVertex.MEMORY, sd.constant(Nd4j.ones(DataType.DOUBLE, 2, 5))) : null;
        return vertex.defineVertex(sd, inputs, params, masks).eval();
    }

    private static ComputationGraph untrained(Variant variant) {
        return AttentionStack.graph(variant, BalancedAttentionVertex::new, new Adam(1e-3), DataType.FLOAT);
    }

    private static INDArray output(ComputationGraph graph, INDArray[] features, MultiDataSet masks) {
        INDArray output = graph.output(false, features, masks.getFeaturesMaskArrays())[0];
        graph.clearLayerMaskArrays();
        return output;
    }

    private static void assertValidOutputsEqual(MultiDataSet data, INDArray expected, INDArray actual) {
        INDArray queryMask = data.getFeaturesMaskArrays()[0];
        for (int b = 0; b < queryMask.size(0); b++) {
            for (int t = 0; t < queryMask.size(1); t++) {
                if (queryMask.getDouble(b, t) == 1.0) {
                    INDArrayIndex[] at = {NDArrayIndex.point(b), NDArrayIndex.all(), NDArrayIndex.point(t)};
                    assertTrue(expected.get(at).equalsWithEps(actual.get(at), 1e-6), "b" + b + " t" + t);
                }
            }
        }
    }

    private static INDArray[] copies(INDArray[] arrays) {
        INDArray[] copies = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            copies[i] = arrays[i].dup();
        }
        return copies;
    }

    private static MultiDataSet data(long seed) {
        return AttentionStack.data(seed, DataType.FLOAT, QUERY_LENGTHS, MEMORY_LENGTHS);
    }
}
