package dev.fulcrum.model.parameters;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** How a parameter starts. Draws come from the caller's seeded generator so that runs are reproducible. */
public sealed interface Init {
    INDArray create(long[] shape, DataType type, Random random);

    /** Glorot/Xavier uniform for a [fanIn, fanOut] projection. */
    record Xavier() implements Init {
        public INDArray create(long[] shape, DataType type, Random random) {
            double limit = Math.sqrt(6.0 / (shape[0] + shape[1]));
            return Nd4j.rand(type, shape).muli(2 * limit).subi(limit);
        }
    }

    record Normal(double std) implements Init {
        public INDArray create(long[] shape, DataType type, Random random) {
            return Nd4j.randn(type, shape).muli(std);
        }
    }

    record Constant(double value) implements Init {
        public INDArray create(long[] shape, DataType type, Random random) {
            return Nd4j.valueArrayOf(shape, value, type);
        }
    }
}
