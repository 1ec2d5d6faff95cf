package dev.fulcrum.model.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import dev.fulcrum.model.text.Vocabulary;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sentence pairs (token ids without specials) → padded minibatches: features (source + EOS, BOS + target),
 * labels (target + EOS), PAD = 0. Pairs of similar length are batched together to limit padding, each batch
 * holds at most {@code batchTokens} source+target tokens including padding, and the batch order is shuffled.
 */
public final class Batcher {
    private final int maxLength;
    private final int batchTokens;

    /**
     * @param maxLength   longest side in tokens, EOS/BOS included; longer pairs are dropped and counted
     * @param batchTokens source+target tokens per batch, padding included
     */
    public Batcher(int maxLength, int batchTokens) {
        this.maxLength = maxLength;
        this.batchTokens = batchTokens;
    }

    /** The batches, and how many pairs were dropped for exceeding the maximum length. */
    public record Batches(List<MultiDataSet> batches, int droppedTooLong) {
    }

    public Batches batch(List<int[][]> pairs, long seed) {
        Random random = new Random(seed);
        List<int[][]> kept = new ArrayList<>();
        for (int[][] pair : pairs) {
            if (pair[0].length + 1 <= maxLength && pair[1].length + 1 <= maxLength) {
                kept.add(pair);
            }
        }
        Collections.shuffle(kept, random); // random order among equal lengths
        kept.sort(Comparator.comparingInt((int[][] p) -> Math.max(p[0].length, p[1].length)));
        List<MultiDataSet> batches = new ArrayList<>();
        List<int[][]> current = new ArrayList<>();
        int maxSource = 0;
        int maxTarget = 0;
        for (int[][] pair : kept) {
            int source = Math.max(maxSource, pair[0].length + 1);
            int target = Math.max(maxTarget, pair[1].length + 1);
            if (!current.isEmpty() && (current.size() + 1) * (source + target) > batchTokens) {
                batches.add(toBatch(current));
                current = new ArrayList<>();
                source = pair[0].length + 1;
                target = pair[1].length + 1;
            }
            current.add(pair);
            maxSource = source;
            maxTarget = target;
        }
        if (!current.isEmpty()) {
            batches.add(toBatch(current));
        }
        Collections.shuffle(batches, random);
        return new Batches(batches, pairs.size() - kept.size());
    }

    /** One padded minibatch of the given pairs, in the layout {@link dev.fulcrum.model.train.TrainingStep} expects. */
    public static MultiDataSet toBatch(List<int[][]> pairs) {
        int sourceLength = pairs.stream().mapToInt(p -> p[0].length + 1).max().orElse(1);
        int targetLength = pairs.stream().mapToInt(p -> p[1].length + 1).max().orElse(1);
        int[][] source = new int[pairs.size()][sourceLength];
        int[][] targetIn = new int[pairs.size()][targetLength];
        int[][] targetOut = new int[pairs.size()][targetLength];
        for (int i = 0; i < pairs.size(); i++) {
            int[] s = pairs.get(i)[0];
            int[] t = pairs.get(i)[1];
            System.arraycopy(s, 0, source[i], 0, s.length);
            source[i][s.length] = Vocabulary.EOS;
            targetIn[i][0] = Vocabulary.BOS;
            System.arraycopy(t, 0, targetIn[i], 1, t.length);
            System.arraycopy(t, 0, targetOut[i], 0, t.length);
            targetOut[i][t.length] = Vocabulary.EOS;
        }
        return new MultiDataSet(
                new INDArray[] {Nd4j.createFromArray(source), Nd4j.createFromArray(targetIn)},
                new INDArray[] {Nd4j.createFromArray(targetOut)});
    }

    /** Source ids + EOS {@code [B, Ts]}: the first feature of a minibatch. */
    public static INDArray source(org.nd4j.linalg.dataset.api.MultiDataSet batch) {
        return batch.getFeatures(0);
    }

    /** BOS + target ids {@code [B, Tt]}, the decoder's input: the second feature. */
    public static INDArray targetIn(org.nd4j.linalg.dataset.api.MultiDataSet batch) {
        return batch.getFeatures(1);
    }

    /** Target ids + EOS {@code [B, Tt]}, what the decoder must predict: the label. */
    public static INDArray targetOut(org.nd4j.linalg.dataset.api.MultiDataSet batch) {
        return batch.getLabels(0);
    }

    /** Real (non-padding) source + target tokens of a minibatch: what tokens/s figures count. */
    public static long realTokens(MultiDataSet batch) {
        return nonPadding(source(batch)) + nonPadding(targetOut(batch));
    }

    /** Real (non-padding) target tokens of a minibatch: what its loss is a mean over. */
    public static long targetTokens(org.nd4j.linalg.dataset.api.MultiDataSet batch) {
        return nonPadding(targetOut(batch));
    }

    private static long nonPadding(INDArray ids) {
        return ids.neq(Vocabulary.PAD).castTo(org.nd4j.linalg.api.buffer.DataType.LONG).sumNumber().longValue();
    }
}
