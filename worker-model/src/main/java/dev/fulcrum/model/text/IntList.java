package dev.fulcrum.model.text;

import java.util.Arrays;

/** A growable {@code int} array, to spare boxing in the tokenizer's inner loops. */
final class IntList {

    private int[] values;
    private int size;

    IntList() {
        this(8);
    }

    IntList(int capacity) {
        values = new int[Math.max(1, capacity)];
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    void addAll(int[] more) {
        for (int value : more) {
            add(value);
        }
    }

    int get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
