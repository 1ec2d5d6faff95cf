package dev.fulcrum.model.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J float32 GEMM rate into a reused output (the machine's matrix-multiply ceiling for the step). */
@Tag("bench")
class MatmulRateBenchmark {
    @Test
    void gemm() {
        for (int n : new int[] {2048, 1024}) {
            INDArray a = Nd4j.rand(DataType.FLOAT, n, n), b = Nd4j.rand(DataType.FLOAT, n, n), c = Nd4j.create(DataType.FLOAT, n, n);
            for (int i = 0; i < 3; i++) Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            long t = System.nanoTime(); int reps = 10;
            for (int i = 0; i < reps; i++) Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            double s = (System.nanoTime() - t) / 1e9 / reps;
            System.out.printf("GEMM %d: %.1f GFLOP/s%n", n, 2.0 * n * n * n / s / 1e9);
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, 1100, 256);
        long t = System.nanoTime();
        for (int i = 0; i < 100; i++) x.addi(1.0f);
        System.out.printf("ADD 1100x256: %.3f ms%n", (System.nanoTime() - t) / 1e6 / 100);
    }
}
