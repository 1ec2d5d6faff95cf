package dev.fulcrum.model.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An elementwise op into an existing array against the same op allocating its result: on this VM kind the
 * allocation (fresh pages: page faults the kernel zeroes) costs 10-100× the arithmetic, which is why
 * {@code NativeMemory} recycles freed buffers early. Prints figures; asserts nothing.
 */
@Tag("bench")
class ElementwiseRateBenchmark {
    @Test
    void opIntoExistingArrayAgainstAllocatingOne() {
        for (int rows : new int[] {1100, 11000}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, rows, 256);
            INDArray y = Nd4j.rand(DataType.FLOAT, rows, 256);
            INDArray out = Nd4j.create(DataType.FLOAT, rows, 256);
            time("multiply into existing [" + rows + ", 256]", () -> Nd4j.exec(new MulOp(x, y, out)));
            time("multiply allocating    [" + rows + ", 256]", () -> x.mul(y));
            time("allocate only          [" + rows + ", 256]",
                    () -> Nd4j.createUninitializedDetached(DataType.FLOAT, rows, 256));
        }
    }

    private static void time(String what, Runnable op) {
        for (int i = 0; i < 20; i++) {
            op.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            op.run();
        }
        System.out.printf("%s: %.3f ms%n", what, (System.nanoTime() - start) / 1e6 / 200);
    }
}
