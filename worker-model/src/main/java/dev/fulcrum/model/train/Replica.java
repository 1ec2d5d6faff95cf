package dev.fulcrum.model.train;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.fulcrum.model.concurrent.Threads;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.data.BatchStream;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.transformer.Transformer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One data-parallel replica of parameter-averaging training: its own model, optimiser and batch stream over its
 * share of the corpus, and {@code threads} gradient workers that split each step's minibatches between them (see
 * {@link TrainingStep}). Every round it starts from the averaged state it is given and takes a number of steps.
 * All replicas are at the same global step, and worker k of a replica with W workers consumes minibatch
 * {@code step·W + k} of the stream, so a resumed run feeds exactly the same batches.
 */
public final class Replica implements AutoCloseable {
    private final Transformer model;
    private final TrainingStep step;
    private final BatchStream stream;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(Threads.daemon("fulcrum-replica"));

    /**
     * What a round starts from: the averaged parameters and optimiser state, the global step, and the factor on
     * the schedule's learning rate (below 1 after the driver rolled a diverged run back).
     */
    public record Start(float[] parameters, float[] updaterState, long step, Knobs knobs, int steps,
                        double learningRateScale) implements java.io.Serializable {
    }

    /**
     * This replica's state after the round, and what it did; {@code lossSum} is over the steps that were not
     * skipped (see {@link TrainingStep#fit}).
     */
    public record Result(float[] parameters, float[] updaterState, double lossSum, long tokens, int steps,
                         int skippedSteps, double seconds) {
    }

    /**
     * @param pairs   this replica's share of the corpus (token ids without specials)
     * @param index   which replica this is: decides its dropout masks and gate noise
     * @param threads gradient workers, each a model copy on a thread of its own (one per core the replica owns)
     */
    public Replica(ModelConfig config, TrainingConfig training, List<int[][]> pairs, int index, int threads) {
        List<Transformer> models = java.util.stream.IntStream.range(0, threads)
                .mapToObj(k -> Transformer.initialize(config, training.seed(), DataType.FLOAT)).toList();
        this.model = models.get(0);
        this.step = new TrainingStep(models, training, index);
        this.stream = new BatchStream(pairs, new Batcher(config.maxLength(), training.batchTokens()),
                training.seed() * 31 + index);
    }

    /** False when every pair of this replica's share was too long (or it had none): it cannot train. */
    public boolean hasData() {
        return stream.batchesPerEpoch() > 0;
    }

    /** Steps in one pass over this replica's share: its minibatches over its gradient workers. */
    public double stepsPerEpoch() {
        return (double) stream.batchesPerEpoch() / step.workers();
    }

    /** Pairs of this replica's share left out because a side exceeds the model's maximum length. */
    public int droppedTooLong() {
        return stream.droppedTooLong();
    }

    /**
     * Trains from {@code start} on the replica's own thread: SameDiff keeps one session (with its array cache,
     * up to a quarter of the machine's memory) per graph and calling thread, and Spark runs each round's task
     * on whichever pool thread is free, so calling the graphs directly from tasks multiplied the caches (an
     * executor reached 16 GB and was killed).
     */
    public Result train(Start start) {
        return Threads.await(thread.submit(() -> trainHere(start)), "training");
    }

    /** Ends the replica's threads (its models are then garbage). */
    @Override
    public void close() {
        step.close();
        thread.shutdown();
    }

    private Result trainHere(Start start) {
        long began = System.nanoTime();
        INDArray parameters = Nd4j.createFromArray(start.parameters());
        INDArray updaterState = Nd4j.createFromArray(start.updaterState());
        model.parameters().flat().assign(parameters.reshape(1, -1));
        step.restore(start.step(), updaterState.reshape(1, -1));
        step.scaleLearningRate(start.learningRateScale());
        NativeMemory.release(java.util.List.of(parameters, updaterState));
        double lossSum = 0;
        long tokens = 0;
        int skipped = 0;
        int workers = step.workers();
        for (int i = 0; i < start.steps(); i++) {
            List<MultiDataSet> batches = new java.util.ArrayList<>(workers);
            for (int k = 0; k < workers; k++) {
                batches.add(stream.at(step.step() * workers + k));
                tokens += Batcher.realTokens(batches.get(k));
            }
            TrainingStep.Outcome outcome = step.fit(batches, start.knobs());
            if (outcome.skipped()) {
                skipped++;
            } else {
                lossSum += outcome.loss();
            }
        }
        return new Result(model.parameters().flat().toFloatVector(), step.updaterState().toFloatVector(), lossSum,
                tokens, start.steps(), skipped, (System.nanoTime() - began) / 1e9);
    }
}
