package dev.fulcrum.model.parameters;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * All parameters of a model in ONE flat vector, each graph variable a view into it. The flat layout makes
 * parameter averaging, clipping, the updater and save/load whole-vector operations, and lets every graph
 * of the model (training, evaluation, encoder, decoder step) share the very same memory.
 *
 * <p>Life cycle: the first graph built declares the parameters (and initialises them); {@link #seal()}
 * then packs them into the flat vector (sorted by name, so the layout never depends on build order); later
 * graphs only look them up.
 */
public final class Parameters {
    private final DataType type;
    private final long seed;
    private final Map<String, INDArray> declared = new LinkedHashMap<>();
    private final Map<String, INDArray> views = new LinkedHashMap<>();
    private final Map<String, Slot> layout = new LinkedHashMap<>();
    private final List<SameDiff> graphs = new ArrayList<>();
    private INDArray flat;

    public Parameters(DataType type, long seed) {
        this.type = type;
        this.seed = seed;
    }

    /** The variable {@code name} in graph {@code sd}: declared (and initialised) before sealing, shared after. */
    public SDVariable get(SameDiff sd, String name, Init init, long... shape) {
        if (flat == null) {
            declared.computeIfAbsent(name, n -> init.create(shape, type, Nd4j.getRandom()));
            return sd.var(name, declared.get(name));
        }
        INDArray view = views.get(name);
        if (view == null || !java.util.Arrays.equals(view.shape(), shape)) {
            throw new IllegalStateException("parameter " + name + " was not declared with shape "
                    + java.util.Arrays.toString(shape));
        }
        return sd.var(name, view);
    }

    /** Seeds the generator used by the initialisers; call before building the first graph. */
    public void seedInitialisers() {
        Nd4j.getRandom().setSeed(seed);
    }

    /** Packs the declared parameters into the flat vector and points every graph built so far at the views. */
    public void seal(SameDiff... builtGraphs) {
        if (flat != null) {
            throw new IllegalStateException("parameters already sealed");
        }
        List<String> names = new ArrayList<>(declared.keySet());
        Collections.sort(names);
        long offset = 0;
        for (String name : names) {
            long[] shape = declared.get(name).shape();
            layout.put(name, new Slot(offset, shape));
            offset += declared.get(name).length();
        }
        flat = Nd4j.create(type, 1, offset);
        views.putAll(viewsOf(flat));
        views.forEach((name, view) -> view.assign(declared.get(name)));
        declared.clear();
        for (SameDiff sd : builtGraphs) {
            attach(sd);
        }
    }

    /** Views into {@code flatArray} (same length as the parameters) laid out like the parameters, by name. */
    public Map<String, INDArray> viewsOf(INDArray flatArray) {
        Map<String, INDArray> result = new LinkedHashMap<>();
        layout.forEach((name, slot) -> result.put(name, flatArray.get(NDArrayIndex.point(0),
                NDArrayIndex.interval(slot.offset(), slot.offset() + slot.length())).reshape('c', slot.shape())));
        return result;
    }

    private record Slot(long offset, long[] shape) {
        long length() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** Points a graph's variables at the shared views (SameDiff may copy on {@code var}, so re-associate). */
    public void attach(SameDiff sd) {
        views.forEach((name, view) -> {
            if (sd.hasVariable(name)) {
                sd.associateArrayWithVariable(view, name);
            }
        });
        graphs.add(sd);
    }

    /** The flat parameter vector {@code [1, n]}; writing into it changes every graph of the model. */
    public INDArray flat() {
        return flat;
    }

    public INDArray view(String name) {
        return views.get(name);
    }

    public List<String> names() {
        return List.copyOf(views.keySet());
    }

    public long size() {
        return flat.length();
    }

    public DataType dataType() {
        return type;
    }
}
