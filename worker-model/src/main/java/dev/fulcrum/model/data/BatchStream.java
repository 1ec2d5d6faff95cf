package dev.fulcrum.model.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * A replica's endless, reproducible sequence of minibatches over its share of the corpus. The batches are
 * composed once (length-bucketed by {@link Batcher}); every epoch visits all of them in a fresh order drawn
 * from (seed, epoch), as fairseq does. Position {@code p} is therefore a pure function of the data and the
 * seed, so that training resumed at step {@code p} sees exactly the batches of an uninterrupted run.
 */
public final class BatchStream {
    private final List<MultiDataSet> batches;
    private final int droppedTooLong;
    private final long seed;
    private long cachedEpoch = -1;
    private List<MultiDataSet> epochOrder;

    public BatchStream(List<int[][]> pairs, Batcher batcher, long seed) {
        Batcher.Batches composed = batcher.batch(pairs, seed);
        this.batches = composed.batches();
        this.droppedTooLong = composed.droppedTooLong();
        this.seed = seed;
    }

    /** Minibatches per epoch (0 if every pair was too long or there were none). */
    public int batchesPerEpoch() {
        return batches.size();
    }

    /** Pairs left out because a side exceeds the model's maximum length. */
    public int droppedTooLong() {
        return droppedTooLong;
    }

    /** The minibatch at 0-based position {@code position} of the stream. */
    public MultiDataSet at(long position) {
        if (batches.isEmpty()) {
            throw new IllegalStateException("no minibatches: every pair was empty or too long");
        }
        long epoch = position / batches.size();
        if (epoch != cachedEpoch) {
            epochOrder = new ArrayList<>(batches);
            Collections.shuffle(epochOrder, new Random(seed * 1_000_003L + epoch));
            cachedEpoch = epoch;
        }
        return epochOrder.get((int) (position % batches.size()));
    }
}
