package dev.fulcrum.model.attention.dl4j;

import java.util.Arrays;
import java.util.function.UnaryOperator;

import dev.fulcrum.model.attention.BalancedAttention.Kind;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The test graph: tokens → EmbeddingSequenceLayer → self-attention → self-attention → cross-attention over
 * embedded memory tokens → RnnOutputLayer, all NCW. The variants choose the three vertices.
 */
final class AttentionStack {
    // Small: DL4J's graph gradient check perturbs every parameter (M2.1 ignores its subset option for graphs).
    static final int VOCAB = 5;
    static final int DIM = 4;
    static final int HEADS = 2;
    static final String[] VERTICES = {"self1", "self2", "cross"};

    /** Makes a vertex of the given shape; the stock-runtime tests swap in another subclass. */
    interface VertexFactory {
        BalancedAttentionVertex create(int modelDim, int heads, Kind kind);
    }

    enum Variant {
        SOFTMAX(v -> v, v -> v, v -> v),
        SINKHORN(v -> v, v -> v.withSinkhorn(3), v -> v.withSinkhorn(3)),
        CAUSAL(v -> v, v -> v, v -> v),
        /** Even iterations end on a column step: the key masks of the memory decide the result. */
        CROSS(v -> v, v -> v.withSinkhorn(3), v -> v.withSinkhorn(4)),
        GATED(v -> v.withHeadGates(), v -> v.withSinkhorn(3).withHeadGates(), v -> v.withSinkhorn(3).withHeadGates());

        private final UnaryOperator<BalancedAttentionVertex> self1;
        private final UnaryOperator<BalancedAttentionVertex> self2;
        private final UnaryOperator<BalancedAttentionVertex> cross;

        Variant(UnaryOperator<BalancedAttentionVertex> self1, UnaryOperator<BalancedAttentionVertex> self2,
                UnaryOperator<BalancedAttentionVertex> cross) {
            this.self1 = self1;
            this.self2 = self2;
            this.cross = cross;
        }

        Kind selfKind() {
            return this == CAUSAL ? Kind.CAUSAL : Kind.SELF;
        }
    }

    private AttentionStack() {
    }

    static ComputationGraphConfiguration configuration(Variant variant, VertexFactory vertices, IUpdater updater,
                                                       DataType type) {
        return new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(type)
                .updater(updater)
                .graphBuilder()
                .addInputs("tokens", "memoryTokens")
                .addLayer("embed", embedding(), "tokens")
                .addLayer("memoryEmbed", embedding(), "memoryTokens")
                .addVertex("self1", variant.self1.apply(vertices.create(DIM, HEADS, variant.selfKind())), "embed")
                .addVertex("self2", variant.self2.apply(vertices.create(DIM, HEADS, variant.selfKind())), "self1")
                .addVertex("cross", variant.cross.apply(vertices.create(DIM, HEADS, Kind.CROSS)), "self2", "memoryEmbed")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(DIM).nOut(VOCAB)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build(), "cross")
                .setOutputs("out")
                .build();
    }

    static ComputationGraph graph(Variant variant, VertexFactory vertices, IUpdater updater, DataType type) {
        ComputationGraph graph = new ComputationGraph(configuration(variant, vertices, updater, type));
        graph.init();
        if (variant == Variant.GATED) {
            openGatesHalfway(graph);
        }
        return graph;
    }

    /** Initial gates are fully open, where the clipped gate has no gradient: move them inside (0, 1). */
    private static void openGatesHalfway(ComputationGraph graph) {
        for (String vertex : VERTICES) {
            INDArray logAlpha = graph.getVertex(vertex).paramTable(false).get(BalancedAttentionVertex.LOG_ALPHA);
            logAlpha.assign(Nd4j.createFromArray(0.3, -0.4).castTo(logAlpha.dataType()));
        }
    }

    private static EmbeddingSequenceLayer embedding() {
        return new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(DIM).outputDataFormat(RNNFormat.NCW).build();
    }

    /** Random tokens and targets with ragged lengths (padding after the length), as one MultiDataSet. */
    static MultiDataSet data(long seed, DataType type, int[] queryLengths, int[] memoryLengths) {
        Nd4j.getRandom().setSeed(seed);
        int queryTime = max(queryLengths);
        int batch = queryLengths.length;
        INDArray queryMask = mask(queryLengths, type);
        INDArray targets = Nd4j.zeros(type, batch, VOCAB, queryTime);
        INDArray targetIds = tokens(batch, queryTime, type);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < queryTime; t++) {
                targets.putScalar(b, targetIds.getInt(b, 0, t), t, 1.0);
            }
        }
        return new MultiDataSet(
                new INDArray[] {tokens(batch, queryTime, type), tokens(batch, max(memoryLengths), type)},
                new INDArray[] {targets},
                new INDArray[] {queryMask, mask(memoryLengths, type)},
                new INDArray[] {queryMask});
    }

    private static INDArray tokens(int batch, int time, DataType type) {
        return Nd4j.rand(DataType.DOUBLE, batch, 1, time).muli(VOCAB).castTo(DataType.INT).castTo(type);
    }

    private static INDArray mask(int[] lengths, DataType type) {
        INDArray mask = Nd4j.zeros(type, lengths.length, max(lengths));
        for (int b = 0; b < lengths.length; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                mask.putScalar(b, t, 1.0);
            }
        }
        return mask;
    }

    private static int max(int[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
