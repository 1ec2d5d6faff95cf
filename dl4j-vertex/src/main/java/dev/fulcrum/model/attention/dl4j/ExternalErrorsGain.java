package dev.fulcrum.model.attention.dl4j;

import java.util.Map;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.util.SameDiffUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.ExternalErrorsFunction;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How many times ND4J counts an external gradient fed into a SameDiff graph the way DL4J's SameDiff layers
 * and vertices feed dL/dOut. In 1.0.0-M2 and M2.1 {@code ExternalErrorsFunction.doDiff} both registers the
 * gradient placeholder on the output and returns it, and the differentiation adds the two: gain 2. A
 * correct release gives 1, so measuring (rather than assuming 2) makes the correction switch itself off.
 */
public final class ExternalErrorsGain {
    private static final String INPUT = "in";
    private static final String WEIGHT = "w";

    private ExternalErrorsGain() {
    }

    /** dL/dw of {@code out = in * w} with {@code in = 1} and external errors {@code dL/dout = 1}: exactly 1 when correct. */
    public static double measure() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder(INPUT, DataType.DOUBLE, 1);
        SDVariable weight = sd.var(WEIGHT, Nd4j.ones(DataType.DOUBLE, 1));
        ExternalErrorsFunction errors = SameDiffUtils.externalErrors(sd, null, in.mul(weight));
        INDArray one = Nd4j.ones(DataType.DOUBLE, 1);
        Map<String, INDArray> feeds = Map.of(INPUT, one, errors.getGradPlaceholderName(), one);
        return sd.calculateGradients(feeds, WEIGHT).get(WEIGHT).getDouble(0);
    }

    /** The factor that undoes the gain, measured once per JVM (0.5 on M2/M2.1, exact in floating point). */
    public static double correctionFactor() {
        return Measured.FACTOR;
    }

    private static final class Measured {
        static final double FACTOR = 1.0 / measure();
    }
}
