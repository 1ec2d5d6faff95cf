package dev.fulcrum.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Embedding-row gradients of repeated tokens must all arrive: a lost update is a silently wrong gradient. */
class ScatterAddRowsTest {

    @Test
    void repeatedIdsAccumulateEveryRowEvenWhenMultiThreaded() {
        int rows = 2000;
        int[] ids = new int[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = i % 3; // three very frequent "tokens", as in real text
        }
        for (int trial = 0; trial < 30; trial++) {
            INDArray table = Nd4j.zeros(DataType.FLOAT, 50, 64);
            GradientWorker.scatterAddRows(table, Nd4j.createFromArray(ids), Nd4j.ones(DataType.FLOAT, rows, 64));
            assertEquals(667.0, table.getDouble(0, 5), "trial " + trial);
            assertEquals(666.0, table.getDouble(2, 63), "trial " + trial);
            assertEquals(rows * 64.0, table.sumNumber().doubleValue(), "trial " + trial);
        }
    }
}
