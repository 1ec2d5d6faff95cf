package dev.fulcrum.model.decode;

import java.util.Arrays;
import java.util.function.IntPredicate;

/** Partial selection: the k largest of n values in O(n) comparisons plus at most O(n·k) shifts, never a full sort. */
final class TopK {
    private TopK() {
    }

    /**
     * Indices of the {@code k} largest {@code values} among the {@code eligible} indices, largest first; equal
     * values rank by lower index, as {@code argMax} does. Fewer than {@code k} when fewer are eligible.
     */
    static int[] largest(float[] values, int k, IntPredicate eligible) {
        int[] kept = new int[k];
        int size = 0;
        for (int index = 0; index < values.length; index++) {
            if (!eligible.test(index) || size == k && !(values[index] > values[kept[k - 1]])) {
                continue;
            }
            int position = Math.min(size, k - 1);
            while (position > 0 && values[index] > values[kept[position - 1]]) {
                kept[position] = kept[position - 1];
                position--;
            }
            kept[position] = index;
            size = Math.min(size + 1, k);
        }
        return Arrays.copyOf(kept, size);
    }
}
