package dev.fulcrum.model.transformer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Sinusoidal position encodings (Vaswani et al. 2017), computed once up to the model's maximum length. */
public final class Positions {
    private final INDArray table;

    public Positions(int maxLength, int dim, DataType type) {
        float[][] rows = new float[maxLength][dim];
        for (int pos = 0; pos < maxLength; pos++) {
            for (int i = 0; i < dim / 2; i++) {
                double angle = pos / Math.pow(10000, 2.0 * i / dim);
                rows[pos][2 * i] = (float) Math.sin(angle);
                rows[pos][2 * i + 1] = (float) Math.cos(angle);
            }
        }
        table = Nd4j.create(rows).castTo(type);
    }

    /** One row per token of a {@code [batch, length]} minibatch, row-major: {@code [batch*length, dim]}. */
    public INDArray forBatch(int batch, int length) {
        if (length > table.rows()) {
            throw new IllegalArgumentException("sequence length " + length + " exceeds model.maxLength " + table.rows());
        }
        return Nd4j.tile(table.get(NDArrayIndex.interval(0, length), NDArrayIndex.all()), batch, 1);
    }

    /** Position {@code position}'s row, once per row of a batch: {@code [rows, dim]}. */
    public INDArray at(int position, int rows) {
        if (position >= table.rows()) {
            throw new IllegalArgumentException("position " + position + " exceeds model.maxLength " + table.rows());
        }
        return Nd4j.tile(table.get(NDArrayIndex.interval(position, position + 1), NDArrayIndex.all()), rows, 1);
    }
}
