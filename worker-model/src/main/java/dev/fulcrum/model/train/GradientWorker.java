package dev.fulcrum.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.transformer.DropoutMasks;
import dev.fulcrum.model.transformer.GraphInputs;
import dev.fulcrum.model.parameters.Parameters;
import dev.fulcrum.model.transformer.Transformer;
import dev.fulcrum.model.transformer.TransformerGraph;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One model's part of a training step: the loss of one minibatch and its gradient w.r.t. all parameters, left in
 * a flat buffer laid out like the parameters. A {@link TrainingStep} has one worker per thread that computes
 * gradients; each worker is always called from the same thread (SameDiff keeps one session per graph and thread).
 */
final class GradientWorker {
    private final Transformer model;
    private final INDArray gradient;
    private final Map<String, INDArray> gradientViews;

    GradientWorker(Transformer model) {
        this.model = model;
        Parameters params = model.parameters();
        this.gradient = Nd4j.create(params.dataType(), 1, params.size());
        this.gradientViews = params.viewsOf(gradient);
    }

    Transformer model() {
        return model;
    }

    /** The last computed gradient, flat, laid out like the parameters. */
    INDArray gradient() {
        return gradient;
    }

    /** The gradient of parameter {@code name} (a view into {@link #gradient()}), or null if the model has none. */
    INDArray gradientOf(String name) {
        return gradientViews.get(name);
    }

    /**
     * Loss of one minibatch (features: source, target-in; labels: target-out) and its gradient, left in
     * {@link #gradient()}. Dropout masks and gate noise are drawn from {@code noiseSeed}. The looked-up embedding
     * rows are graph variables here; their gradients are scatter-added into the tied table's.
     */
    double computeGradient(MultiDataSet batch, Knobs knobs, long noiseSeed) {
        SameDiff sd = model.trainingGraph();
        Map<String, INDArray> feeds = model.feeds().forLoss(Batcher.source(batch), Batcher.targetIn(batch),
                Batcher.targetOut(batch), knobs, new Random(noiseSeed));
        Nd4j.getRandom().setSeed(noiseSeed); // ND4J's generator is per thread: workers do not share it
        feeds.putAll(DropoutMasks.draw(sd, Batcher.source(batch).length(), Batcher.targetIn(batch).length(),
                model.config().dropout()));
        Map<String, INDArray> rowIds = Map.of(GraphInputs.SOURCE_ROWS, Batcher.source(batch),
                GraphInputs.TARGET_ROWS, Batcher.targetIn(batch), GraphInputs.OUTPUT_ROWS, Batcher.targetOut(batch));
        List<String> wanted = new ArrayList<>(model.parameters().names());
        for (String rows : rowIds.keySet()) {
            sd.associateArrayWithVariable(feeds.remove(rows), rows);
            wanted.add(rows);
        }
        var result = sd.calculateGradientsAndOutputs(feeds, List.of(GraphInputs.LOSS), wanted);
        Map<String, INDArray> gradients = result.getGradients();
        model.parameters().names().forEach(name -> gradientViews.get(name).assign(gradients.get(name)));
        rowIds.forEach((rows, ids) -> addRowGradients(ids, gradients.get(rows)));
        double loss = result.getOutputs().get(GraphInputs.LOSS).getDouble(0);
        feeds.remove(GraphInputs.SOURCE); // the minibatch's own arrays: reused in later epochs
        feeds.remove(GraphInputs.TARGET_IN);
        NativeMemory.release(feeds.values(), gradients.values());
        return loss;
    }

    /** Scatter-adds the gradient of looked-up embedding rows into the tied table's gradient (duplicates summed). */
    private void addRowGradients(INDArray ids, INDArray rowGradients) {
        scatterAddRows(gradientViews.get(TransformerGraph.EMBEDDING), ids.reshape(-1), rowGradients);
    }

    /**
     * {@code table[ids[i]] += rows[i]} in place. ND4J M2.1's multi-threaded scatter_add races on repeated
     * ids and silently loses updates (seen in 163 of 200 trials with 2 threads); its "lock" flag makes it
     * serial and exact.
     */
    static void scatterAddRows(INDArray table, INDArray ids, INDArray rows) {
        ScatterAdd scatter = new ScatterAdd(table, ids, rows);
        scatter.addOutputArgument(table); // in place: without it ND4J writes the sum to a new array
        scatter.addBArgument(true);
        Nd4j.exec(scatter);
    }
}
