package dev.fulcrum.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.transformer.GraphInputs;
import dev.fulcrum.model.transformer.DropoutMasks;
import dev.fulcrum.model.transformer.Parameters;
import dev.fulcrum.model.transformer.Transformer;
import dev.fulcrum.model.transformer.TransformerGraph;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One optimisation step on one replica: gradients of the training graph, global-norm clipping, Adam with
 * the inverse-sqrt schedule. Gradient and updater state are flat vectors laid out like the parameters, so
 * the driver can average parameters and updater state across replicas as plain vectors, and a resumed
 * run continues the exact schedule from {@link #step()}.
 */
public final class TrainingStep {
    private final Transformer model;
    private final TrainingConfig config;
    private final INDArray gradient;
    private final Map<String, INDArray> gradientViews;
    private final List<INDArray> gateUpdates;
    private final INDArray updaterState;
    private final GradientUpdater<?> updater;
    private final long replica;
    private long step;

    public TrainingStep(Transformer model, TrainingConfig config) {
        this(model, config, 0);
    }

    /**
     * @param replica which data-parallel replica this is: replicas draw different dropout masks and gate
     *                noise at the same step
     */
    public TrainingStep(Transformer model, TrainingConfig config, long replica) {
        this.model = model;
        this.replica = replica;
        this.config = config;
        Parameters params = model.parameters();
        this.gradient = Nd4j.create(params.dataType(), 1, params.size());
        this.gradientViews = params.viewsOf(gradient);
        this.gateUpdates = TransformerGraph.attentionLayers(model.config()).stream()
                .map(layer -> gradientViews.get(BalancedAttention.parameterName(layer, BalancedAttention.GATE_LOG_ALPHA)))
                .filter(Objects::nonNull).toList(); // ungated (or pruned) layers have no gates
        Adam adam = adam(config);
        this.updaterState = Nd4j.create(params.dataType(), 1, adam.stateSize(params.size()));
        this.updater = adam.instantiate(updaterState, true);
    }

    /** Length of the flat optimiser state of a model with {@code parameters} parameters (a fresh run's zeros). */
    public static long updaterStateLength(long parameters) {
        return adam(TrainingConfig.defaults()).stateSize(parameters);
    }

    private static Adam adam(TrainingConfig config) {
        return Adam.builder().learningRateSchedule(new InverseSqrtSchedule(config))
                .beta1(TrainingConfig.ADAM_BETA1).beta2(TrainingConfig.ADAM_BETA2)
                .epsilon(TrainingConfig.ADAM_EPSILON).build();
    }

    /** Result of one step: the training loss (smoothed CE + penalties) and the pre-clipping gradient norm. */
    public record Outcome(double loss, double gradientNorm) {
    }

    /** Trains on one minibatch: features (source, target-in), labels (target-out). */
    public Outcome fit(MultiDataSet batch, Knobs knobs) {
        long start = System.nanoTime();
        double loss = computeGradient(batch, knobs);
        double norm = gradient.norm2Number().doubleValue();
        if (config.clipNorm() > 0 && norm > config.clipNorm()) {
            gradient.muli(config.clipNorm() / norm);
        }
        updater.applyUpdater(gradient, (int) step, 0); // the gradient now holds the update
        gateUpdates.forEach(update -> update.muli(config.gateLearningRateScale()));
        model.parameters().flat().subi(gradient);
        step++;
        NativeMemory.collectAfterStep(start);
        return new Outcome(loss, norm);
    }

    /**
     * Loss of one minibatch and its gradient w.r.t. all parameters, left in {@link #gradient()}. The looked-up
     * embedding rows are graph variables here; their gradients are scatter-added into the tied table's.
     */
    public double computeGradient(MultiDataSet batch, Knobs knobs) {
        SameDiff sd = model.trainingGraph();
        long noiseSeed = noiseSeed();
        Map<String, INDArray> feeds = model.feeds().forLoss(batch.getFeatures(0), batch.getFeatures(1),
                batch.getLabels(0), knobs, new Random(noiseSeed));
        Nd4j.getRandom().setSeed(noiseSeed);
        feeds.putAll(DropoutMasks.draw(sd, batch.getFeatures(0).length(), batch.getFeatures(1).length(),
                model.config().dropout()));
        Map<String, INDArray> rowIds = Map.of(GraphInputs.SOURCE_ROWS, batch.getFeatures(0),
                GraphInputs.TARGET_ROWS, batch.getFeatures(1), GraphInputs.OUTPUT_ROWS, batch.getLabels(0));
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

    /**
     * Randomness of one step is a function of (seed, replica, step) only, so that a run resumed from a
     * checkpoint draws exactly the dropout masks and gate noise of the uninterrupted run.
     */
    private long noiseSeed() {
        long mixed = config.seed() * 0x9E3779B97F4A7C15L + replica * 0xC2B2AE3D27D4EB4FL + step;
        mixed ^= mixed >>> 31;
        return mixed * 0xBF58476D1CE4E5B9L;
    }

    /** The last computed gradient, flat, laid out like the parameters. */
    public INDArray gradient() {
        return gradient;
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

    /**
     * Adam's moment estimates, flat ([m | v], each laid out like the parameters): live state, so that the
     * driver can average it across replicas and a checkpoint can store it.
     */
    public INDArray updaterState() {
        return updaterState;
    }

    /** Continues from a replica state: {@code steps} steps taken so far and the given updater state. */
    public void restore(long steps, INDArray state) {
        if (steps < 0 || state.length() != updaterState.length()) {
            throw new IllegalArgumentException("cannot restore step " + steps + " with an updater state of "
                    + state.length() + " values (expected " + updaterState.length() + ")");
        }
        updaterState.assign(state.reshape(updaterState.shape()));
        step = steps;
    }

    /** Learning rate the next step will use. */
    public double learningRate() {
        return config.learningRate(step);
    }

    /** Optimisation steps taken so far (drives the learning-rate schedule). */
    public long step() {
        return step;
    }
}
