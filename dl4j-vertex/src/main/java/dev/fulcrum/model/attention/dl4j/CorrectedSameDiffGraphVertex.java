package dev.fulcrum.model.attention.dl4j;

import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * DL4J's SameDiff vertex runtime with three defects of 1.0.0-M2.1 worked around:
 * <ul>
 *   <li>the stock backward pass counts the incoming gradient {@link ExternalErrorsGain#measure() g} times
 *       (2 on M2.1), which scales the gradient of this vertex's parameters and of everything below it:
 *       {@code epsilon} is scaled by 1/g first, exact because the backward pass is linear in it;</li>
 *   <li>the stock runtime leaves SameDiff to guess the loss: it takes the external-errors output only when
 *       the sub-graph has no other unconsumed result, fails when it has several (softmax leaves the mask
 *       counts that only Sinkhorn uses) and would silently differentiate the wrong variable with exactly one.
 *       The external-errors output is named as the loss instead;</li>
 *   <li>run inside DL4J's layer workspaces, the second {@code fit} of a Sinkhorn vertex reads reduction axes
 *       that the previous iteration's workspace memory has overwritten (garbage axes, mismatched reduction
 *       shapes). The sub-graph therefore runs outside every workspace on detached arrays, and only its
 *       results are copied into the graph's workspaces.</li>
 * </ul>
 */
public class CorrectedSameDiffGraphVertex extends SameDiffGraphVertex {
    private final double epsilonFactor;

    public CorrectedSameDiffGraphVertex(SameDiffVertex config, ComputationGraph graph, String name, int vertexIndex,
                                        INDArray paramsView, boolean initParams, DataType dataType) {
        this(config, graph, name, vertexIndex, paramsView, initParams, dataType,
                ExternalErrorsGain.correctionFactor());
    }

    /** With {@code epsilonFactor} 1 the gradients are DL4J's own: tests use it to show the defect. */
    CorrectedSameDiffGraphVertex(SameDiffVertex config, ComputationGraph graph, String name, int vertexIndex,
                                 INDArray paramsView, boolean initParams, DataType dataType, double epsilonFactor) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
        this.epsilonFactor = epsilonFactor;
    }

    @Override
    protected void doInit() {
        super.doInit();
        // A training configuration is the only way to name a loss that is not an ARRAY variable; its updater
        // and mappings are never used (DL4J's own updater trains the parameters).
        sameDiff.setTrainingConfig(new TrainingConfig.Builder()
                .updater(new NoOp())
                .dataSetFeatureMapping(config.getVertexParams().getInputs())
                .markLabelsUnused()
                .minimize(fn.outputVariable().name())
                .build());
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray output;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            output = super.doForward(training, LayerWorkspaceMgr.noWorkspaces());
        }
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, output);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray[]> gradients;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            gradients = backwardWithScaledEpsilon(tbptt);
        }
        INDArray[] inputGradients = gradients.getSecond();
        for (int i = 0; i < inputGradients.length; i++) {
            inputGradients[i] = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, inputGradients[i]);
        }
        return gradients;
    }

    private Pair<Gradient, INDArray[]> backwardWithScaledEpsilon(boolean tbptt) {
        INDArray received = epsilon;
        epsilon = received.mul(epsilonFactor);
        try {
            return super.doBackward(tbptt, LayerWorkspaceMgr.noWorkspaces());
        } finally {
            // The graph owns the received array (it may be shared with other vertices): leave it as it came.
            epsilon = received;
        }
    }
}
