package dev.fulcrum.model.bench;

import java.util.HashMap;
import java.util.Map;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Wall time per op instance of a SameDiff graph, printed by type and by instance, and the floating-point work of
 * its matrix multiplies counted from their actual shapes, so that the step's achieved matrix FLOP/s is measured
 * rather than estimated from the parameter count.
 */
class OpTimer extends BaseListener {
    final Map<String, long[]> total = new HashMap<>();
    final Map<String, String> shapes = new HashMap<>();
    long opNanos;
    double matrixFlops;
    long matrixNanos;
    long start;

    @Override public boolean isActive(Operation operation) { return true; }

    @Override public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) { start = System.nanoTime(); }

    @Override public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
        long t = System.nanoTime() - start;
        opNanos += t;
        String key = op.getOp().opName() + " " + op.getName();
        total.computeIfAbsent(key, k -> new long[2])[0] += t;
        total.get(key)[1]++;
        StringBuilder sb = new StringBuilder();
        for (INDArray o : outputs) if (o != null) sb.append(java.util.Arrays.toString(o.shape()));
        if (ctx != null) { sb.append(" <- "); for (INDArray in : ctx.getInputArrays()) if (in != null) sb.append(java.util.Arrays.toString(in.shape())); }
        shapes.put(key, sb.toString());
        double flops = ctx == null ? 0 : matrixFlops(op.getOp().opName(), ctx.getInputArrays(), outputs);
        if (flops > 0) { matrixFlops += flops; matrixNanos += t; }
    }

    /**
     * 2·M·N·K for a (batched) matmul, whatever its transpose flags: the left input holds batch·M·K values and the
     * product's last dimension is N. The backward pass (inputs a, b, dL/dproduct) computes two such products.
     */
    static double matrixFlops(String opName, java.util.List<INDArray> inputs, INDArray[] outputs) {
        if (opName.equals("matmul")) return 2.0 * inputs.get(0).length() * lastDim(outputs[0]);
        if (opName.equals("matmul_bp")) return 4.0 * inputs.get(0).length() * lastDim(inputs.get(2));
        return 0;
    }

    private static long lastDim(INDArray x) { return x.size(x.rank() - 1); }

    void print(int n) {
        long all = total.values().stream().mapToLong(v -> v[0]).sum();
        System.out.printf("OPTIME total %.0f ms over %d instances%n", all / 1e6, total.size());
        System.out.printf("MATRIX %.1f GFLOP in %.0f ms = %.1f GFLOP/s, %.0f%% of op time%n", matrixFlops / 1e9,
                matrixNanos / 1e6, matrixFlops / matrixNanos, 100.0 * matrixNanos / all);
        Map<String, Long> byType = new HashMap<>();
        total.forEach((k, v) -> byType.merge(k.split(" ")[0], v[0], Long::sum));
        byType.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(12)
            .forEach(e -> System.out.printf("OPTYPE %8.1f ms %s%n", e.getValue() / 1e6, e.getKey()));
        total.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(n)
            .forEach(e -> System.out.printf("OPTIME %8.1f ms x%d %s %s%n", e.getValue()[0] / 1e6, e.getValue()[1], e.getKey(), shapes.get(e.getKey())));
    }
}
