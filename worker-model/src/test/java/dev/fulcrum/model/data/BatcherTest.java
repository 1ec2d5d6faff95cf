package dev.fulcrum.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.fulcrum.model.text.Vocabulary;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.MultiDataSet;

class BatcherTest {
    private static int[] ids(int length, Random random) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = 300 + random.nextInt(100);
        }
        return ids;
    }

    @Test
    void layoutIsSourceEosBosTargetTargetEosPaddedWithZero() {
        MultiDataSet batch = Batcher.toBatch(List.of(new int[][] {{5, 6}, {7}}, new int[][] {{8}, {9, 10, 11}}));
        assertArrayEquals(new int[] {5, 6, Vocabulary.EOS}, batch.getFeatures(0).getRow(0).toIntVector());
        assertArrayEquals(new int[] {8, Vocabulary.EOS, 0}, batch.getFeatures(0).getRow(1).toIntVector());
        assertArrayEquals(new int[] {Vocabulary.BOS, 7, 0, 0}, batch.getFeatures(1).getRow(0).toIntVector());
        assertArrayEquals(new int[] {Vocabulary.BOS, 9, 10, 11}, batch.getFeatures(1).getRow(1).toIntVector());
        assertArrayEquals(new int[] {9, 10, 11, Vocabulary.EOS}, batch.getLabels(0).getRow(1).toIntVector());
    }

    @Test
    void dropsAndCountsOverlongPairsAndRespectsTheTokenBudget() {
        Random random = new Random(1);
        List<int[][]> pairs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            pairs.add(new int[][] {ids(1 + random.nextInt(30), random), ids(1 + random.nextInt(30), random)});
        }
        Batcher.Batches result = new Batcher(21, 400).batch(pairs, 3);
        long overlong = pairs.stream().filter(p -> p[0].length + 1 > 21 || p[1].length + 1 > 21).count();
        assertEquals(overlong, result.droppedTooLong());
        int kept = 0;
        for (MultiDataSet batch : result.batches()) {
            long rows = batch.getFeatures(0).size(0);
            long tokens = rows * (batch.getFeatures(0).size(1) + batch.getFeatures(1).size(1));
            assertTrue(tokens <= 400, "batch of " + tokens + " tokens");
            assertTrue(batch.getFeatures(0).size(1) <= 21 && batch.getFeatures(1).size(1) <= 21);
            kept += rows;
        }
        assertEquals(pairs.size() - overlong, kept);
    }

    @Test
    void bucketingKeepsPaddingLow() {
        Random random = new Random(2);
        List<int[][]> pairs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int length = 1 + random.nextInt(40);
            pairs.add(new int[][] {ids(length, random), ids(length, random)});
        }
        long real = 0;
        long padded = 0;
        for (MultiDataSet batch : new Batcher(64, 1024).batch(pairs, 4).batches()) {
            padded += batch.getFeatures(0).length() + batch.getLabels(0).length();
            real += batch.getFeatures(0).neq(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue()
                    + batch.getLabels(0).neq(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
        }
        assertTrue(real > 0.9 * padded, "padding share " + (1 - (double) real / padded));
    }
}
