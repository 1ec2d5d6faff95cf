package dev.fulcrum.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.concurrent.Threads;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.parameters.Parameters;
import dev.fulcrum.model.transformer.Transformer;
import dev.fulcrum.model.transformer.TransformerGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One optimisation step of one model: gradients, global-norm clipping, Adam with the inverse-sqrt schedule.
 *
 * <p>A step can be synchronous data parallelism inside one JVM: with several models ("workers", one per thread)
 * each computes the gradient of its own minibatch at the same time, the gradients are averaged weighted by
 * target tokens (what one model computes on the union of the minibatches), and one update is applied. One
 * training step with a bigger batch, both cores busy, nothing learned is thrown away — unlike parameter
 * averaging, which it complements across executors (DL4J's ParallelWrapper under Spark does the same).
 *
 * <p>Gradient and updater state are flat vectors laid out like the parameters, so the driver can average
 * parameters and updater state across replicas as plain vectors, and a resumed run continues the exact schedule
 * from {@link #step()}.
 */
public final class TrainingStep implements AutoCloseable {
    private final List<GradientWorker> workers = new ArrayList<>();
    /** Thread k runs worker k + 1; worker 0 runs on the caller's thread. */
    private final List<ExecutorService> workerThreads = new ArrayList<>();
    private final Transformer model;
    private final TrainingConfig config;
    private final List<INDArray> gateUpdates;
    private final INDArray updaterState;
    private final GradientUpdater<?> updater;
    private final long replica;
    private long step;
    private double learningRateScale = 1;

    public TrainingStep(Transformer model, TrainingConfig config) {
        this(model, config, 0);
    }

    /**
     * @param replica which data-parallel replica this is: replicas draw different dropout masks and gate
     *                noise at the same step
     */
    public TrainingStep(Transformer model, TrainingConfig config, long replica) {
        this(List.of(model), config, replica);
    }

    /**
     * @param models  the models of this replica's workers, same configuration: the first is the model trained;
     *                every other one computes the gradient of one more minibatch per step on a thread of its own,
     *                from the first's parameters (copied in at the start of each step)
     * @param replica which data-parallel replica this is (see {@link #noiseSeed})
     */
    public TrainingStep(List<Transformer> models, TrainingConfig config, long replica) {
        this.model = models.get(0);
        this.replica = replica;
        this.config = config;
        for (int k = 0; k < models.size(); k++) {
            workers.add(new GradientWorker(models.get(k)));
            if (k > 0) {
                workerThreads.add(Executors.newSingleThreadExecutor(Threads.daemon("fulcrum-gradient-" + k)));
            }
        }
        GradientWorker first = workers.get(0);
        this.gateUpdates = TransformerGraph.attentionLayers(model.config()).stream()
                .map(layer -> first.gradientOf(BalancedAttention.parameterName(layer, BalancedAttention.GATE_LOG_ALPHA)))
                .filter(Objects::nonNull).toList(); // ungated (or pruned) layers have no gates
        Parameters params = model.parameters();
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

    /**
     * Result of one step: the training loss (smoothed CE + penalties), the pre-clipping gradient norm, and
     * whether the step was skipped because either was not finite.
     */
    public record Outcome(double loss, double gradientNorm, boolean skipped) {
    }

    /** How many minibatches one step takes: one per worker. */
    public int workers() {
        return workers.size();
    }

    /** Trains on one minibatch: features (source, target-in), labels (target-out). Needs a single worker. */
    public Outcome fit(MultiDataSet batch, Knobs knobs) {
        return fit(List.of(batch), knobs);
    }

    /**
     * Trains on {@link #workers()} minibatches at once, one per worker, as one step of one model. A step whose
     * loss or gradient norm is not finite changes neither the parameters nor the optimiser state (one bad
     * minibatch must not poison the model, and clipping cannot repair a NaN); it still counts as a step, so the
     * schedule and the data order stay those of a run without the fault.
     */
    public Outcome fit(List<? extends MultiDataSet> batches, Knobs knobs) {
        long start = System.nanoTime();
        FaultInjection.failIfArmed(replica, step);
        double loss = computeGradients(batches, knobs);
        INDArray gradient = gradient();
        FaultInjection.apply(FaultInjection.Target.GRADIENT, replica, step, gradient);
        double norm = gradient.norm2Number().doubleValue();
        boolean skipped = !Double.isFinite(loss) || !Double.isFinite(norm);
        if (!skipped) {
            update(gradient, norm);
        }
        FaultInjection.apply(FaultInjection.Target.PARAMETERS, replica, step, model.parameters().flat());
        step++;
        NativeMemory.collectAfterStep(start);
        return new Outcome(loss, norm, skipped);
    }

    /** Clips the gradient to {@code clipNorm}, turns it into Adam's update (in place) and applies it. */
    private void update(INDArray gradient, double norm) {
        if (config.clipNorm() > 0 && norm > config.clipNorm()) {
            gradient.muli(config.clipNorm() / norm);
        }
        updater.applyUpdater(gradient, (int) step, 0); // the gradient now holds the update
        if (learningRateScale != 1) {
            gradient.muli(learningRateScale); // Adam's update is linear in its learning rate
        }
        gateUpdates.forEach(update -> update.muli(config.gateLearningRateScale()));
        model.parameters().flat().subi(gradient);
    }

    /**
     * Multiplies the schedule's learning rate by {@code scale} from the next step on: what the driver lowers
     * after rolling a diverged run back.
     */
    public void scaleLearningRate(double scale) {
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("learning-rate scale " + scale + " is not in (0, 1]");
        }
        learningRateScale = scale;
    }

    /**
     * Loss of one minibatch and its gradient w.r.t. all parameters, left in {@link #gradient()}, computed by the
     * first worker with its noise of this step (no update).
     */
    public double computeGradient(MultiDataSet batch, Knobs knobs) {
        return workers.get(0).computeGradient(batch, knobs, noiseSeed(0));
    }

    /**
     * Every worker's gradient of its minibatch, in parallel, then their token-weighted mean in the first worker's
     * buffer: the loss is a mean over target tokens, so the gradient of the union is Σ (tokens_k / tokens) g_k.
     */
    double computeGradients(List<? extends MultiDataSet> batches, Knobs knobs) {
        if (batches.size() != workers.size()) {
            throw new IllegalArgumentException(batches.size() + " minibatches for " + workers.size() + " workers");
        }
        if (workers.size() == 1) {
            return computeGradient(batches.get(0), knobs);
        }
        List<Future<Double>> others = new ArrayList<>();
        for (int k = 1; k < workers.size(); k++) {
            int worker = k;
            others.add(workerThreads.get(k - 1).submit(() -> {
                workers.get(worker).model().parameters().flat().assign(model.parameters().flat());
                return workers.get(worker).computeGradient(batches.get(worker), knobs, noiseSeed(worker));
            }));
        }
        double[] losses = new double[workers.size()];
        losses[0] = computeGradient(batches.get(0), knobs);
        for (int k = 1; k < workers.size(); k++) {
            losses[k] = Threads.await(others.get(k - 1), "computing gradients");
        }
        return averageIntoFirst(batches, losses);
    }

    private double averageIntoFirst(List<? extends MultiDataSet> batches, double[] losses) {
        long[] tokens = new long[batches.size()];
        long total = 0;
        for (int k = 0; k < tokens.length; k++) {
            tokens[k] = Math.max(1, Batcher.targetTokens(batches.get(k)));
            total += tokens[k];
        }
        INDArray sum = gradient().muli((double) tokens[0] / total);
        double loss = losses[0] * tokens[0] / total;
        for (int k = 1; k < tokens.length; k++) {
            double weight = (double) tokens[k] / total;
            sum.addi(workers.get(k).gradient().muli(weight));
            loss += losses[k] * weight;
        }
        return loss;
    }

    /**
     * Randomness of one step is a function of (seed, replica, worker, step) only, so that a run resumed from a
     * checkpoint draws exactly the dropout masks and gate noise of the uninterrupted run. Worker k of replica r
     * draws as lane r·workers + k: with one worker per replica, the lane is the replica.
     */
    private long noiseSeed(int worker) {
        long lane = replica * workers.size() + worker;
        long mixed = config.seed() * 0x9E3779B97F4A7C15L + lane * 0xC2B2AE3D27D4EB4FL + step;
        mixed ^= mixed >>> 31;
        return mixed * 0xBF58476D1CE4E5B9L;
    }

    /** The last computed (after {@link #fit}: the applied update), flat, laid out like the parameters. */
    public INDArray gradient() {
        return workers.get(0).gradient();
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
        return config.learningRate(step) * learningRateScale;
    }

    /** Optimisation steps taken so far (drives the learning-rate schedule). */
    public long step() {
        return step;
    }

    /** Ends the worker threads (a single-worker step has none). */
    @Override
    public void close() {
        workerThreads.forEach(ExecutorService::shutdown);
    }
}
