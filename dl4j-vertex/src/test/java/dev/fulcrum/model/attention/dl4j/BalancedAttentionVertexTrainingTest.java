package dev.fulcrum.model.attention.dl4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fulcrum.model.attention.dl4j.AttentionStack.Variant;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

/** DL4J's real training path (float, workspaces on, Adam) through the stacked vertices. */
class BalancedAttentionVertexTrainingTest {
    private static final int[] QUERY_LENGTHS = {6, 4, 5, 2};
    private static final int[] MEMORY_LENGTHS = {5, 3, 1, 4};

    @Test
    void fitLowersTheScoreOnMinibatchesOfDifferentLengths() {
        ComputationGraph graph = AttentionStack.graph(Variant.GATED, BalancedAttentionVertex::new, new Adam(1e-2),
                DataType.FLOAT);
        MultiDataSet longer = data(1, QUERY_LENGTHS, MEMORY_LENGTHS);
        MultiDataSet shorter = data(2, new int[] {3, 2, 3, 1}, new int[] {2, 2, 1, 2});
        double longerBefore = graph.score(longer);
        double shorterBefore = graph.score(shorter);
        for (int step = 0; step < 30; step++) {
            graph.fit(longer);
            graph.fit(shorter);
        }
        assertTrue(graph.score(longer) < 0.95 * longerBefore, graph.score(longer) + " vs " + longerBefore);
        assertTrue(graph.score(shorter) < 0.95 * shorterBefore, graph.score(shorter) + " vs " + shorterBefore);
    }

    /** Spark workers train a clone of the configuration: a clone that lost the vertex updater could not. */
    @Test
    void clonedConfigurationTrains() {
        ComputationGraphConfiguration configuration = AttentionStack.configuration(Variant.SINKHORN,
                BalancedAttentionVertex::new, new Adam(1e-2), DataType.FLOAT);
        ComputationGraph graph = new ComputationGraph(configuration.clone());
        graph.init();
        MultiDataSet data = data(3, QUERY_LENGTHS, MEMORY_LENGTHS);
        double before = graph.score(data);
        for (int step = 0; step < 10; step++) {
            graph.fit(data);
        }
        assertTrue(graph.score(data) < before);
    }

    private static MultiDataSet data(long seed, int[] queryLengths, int[] memoryLengths) {
        return AttentionStack.data(seed, DataType.FLOAT, queryLengths, memoryLengths);
    }
}
