package dev.fulcrum.model.transformer;

import java.util.HashMap;
import java.util.Map;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Inverted-dropout masks, drawn outside the training graph and fed as placeholders. ND4J M2.1's in-graph
 * random ops draw from an op context that {@code Nd4j.getRandom().setSeed} does not reach, so masks drawn
 * in the graph could not be reproduced by a seed (a resumed run would diverge from the uninterrupted one);
 * its dropout ops also have no derivative. Each placeholder is {@code [rows, width]}, rows = batch × length
 * of the side it belongs to.
 */
public final class DropoutMasks {
    private static final String PREFIX = "dropout.";

    /** Which sequence a dropout site runs over, i.e. how many rows its mask has. */
    enum Side { SOURCE, TARGET }

    private DropoutMasks() {
    }

    /** A new mask placeholder of the graph: the {@code index}-th dropout site on {@code side}. */
    static SDVariable placeholder(SameDiff sd, Side side, int index, DataType type, int width) {
        return sd.placeHolder(PREFIX + side.name().toLowerCase() + "." + index, type, -1, width);
    }

    /**
     * A mask for every dropout placeholder of {@code graph}: {@code 1/keep} with probability keep, else 0,
     * drawn from {@code Nd4j.getRandom()} (seed it first to reproduce them).
     */
    public static Map<String, INDArray> draw(SameDiff graph, long sourceRows, long targetRows, double dropout) {
        Map<String, INDArray> masks = new HashMap<>();
        double keep = 1.0 - dropout;
        for (SDVariable variable : graph.variables()) {
            String name = variable.name();
            if (variable.isPlaceHolder() && name.startsWith(PREFIX)) {
                long rows = name.startsWith(PREFIX + "source") ? sourceRows : targetRows;
                INDArray uniform = Nd4j.rand(variable.dataType(), rows, variable.getShape()[1]);
                masks.put(name, Transforms.floor(uniform.addi(keep), false).divi(keep));
            }
        }
        return masks;
    }
}
