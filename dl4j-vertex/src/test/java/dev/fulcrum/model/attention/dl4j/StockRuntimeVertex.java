package dev.fulcrum.model.attention.dl4j;

import dev.fulcrum.model.attention.BalancedAttention.Kind;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The same vertex with DL4J's own (unscaled) backward pass, to show what the correction undoes. */
final class StockRuntimeVertex extends BalancedAttentionVertex {
    StockRuntimeVertex(int modelDim, int heads, Kind kind) {
        super(modelDim, heads, kind);
    }

    @Override
    public GraphVertex instantiate(ComputationGraph graph, String name, int vertexIndex, INDArray paramsView,
                                   boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new CorrectedSameDiffGraphVertex(this, graph, name, vertexIndex, paramsView, initializeParams,
                networkDatatype, 1.0);
    }
}
