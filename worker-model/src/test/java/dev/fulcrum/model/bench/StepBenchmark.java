package dev.fulcrum.model.bench;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.train.TrainingStep;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import dev.fulcrum.model.transformer.Transformer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Base-size training step (the reference size) on a synthetic 100 x (9 + 11) batch: time and op profile. */
@Tag("bench")
class StepBenchmark {
    static MultiDataSet batch(int b, int ts, int tt, int v, java.util.Random r) {
        int[][] s = new int[b][ts], ti = new int[b][tt], to = new int[b][tt];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < ts; t++) s[i][t] = 4 + r.nextInt(v - 4);
            for (int t = 0; t < tt; t++) { to[i][t] = 4 + r.nextInt(v - 4); ti[i][t] = t == 0 ? 1 : to[i][t - 1]; }
            s[i][ts - 1] = 0; to[i][tt-1] = 0; // some padding
        }
        return new MultiDataSet(new INDArray[] {Nd4j.createFromArray(s), Nd4j.createFromArray(ti)},
                new INDArray[] {Nd4j.createFromArray(to)});
    }

    /** Minor page faults of this process so far (field 10 of /proc/self/stat): each is a fresh page the kernel zeroed. */
    static long minorFaults() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Test
    void baseStep() {
        String norm = System.getProperty("norm", "softmax");
        ModelConfig cfg0 = ModelConfig.base(8000).withAttention(norm, 3, Boolean.getBoolean("gates")); ModelConfig cfg = new ModelConfig(cfg0.vocabSize(), cfg0.modelDim(), cfg0.heads(), cfg0.ffnDim(), cfg0.encoderLayers(), cfg0.decoderLayers(), cfg0.dropout(), Double.parseDouble(System.getProperty("ls", "0.1")), cfg0.maxLength(), cfg0.normalization(), cfg0.sinkhornIterations(), cfg0.headGates());
        long t0 = System.nanoTime();
        Transformer m = Transformer.initialize(cfg, 1, DataType.FLOAT);
        System.out.println("env " + System.getenv("OPENBLAS_CORETYPE") + " " + System.getenv("GLIBC_TUNABLES") + " threads " + org.nd4j.linalg.factory.Nd4j.getEnvironment().maxMasterThreads());
        System.out.println("params " + m.parameters().size() + " build " + (System.nanoTime() - t0) / 1e6 + " ms");
        // -Dworkers=W: W gradient threads (one model copy each) share the cores, each on its own batch of the same size.
        int workers = Integer.getInteger("workers", 1);
        java.util.List<Transformer> models = new java.util.ArrayList<>(java.util.List.of(m));
        while (models.size() < workers) {
            models.add(Transformer.initialize(cfg, 1, DataType.FLOAT));
        }
        dev.fulcrum.model.concurrent.NativeThreads.limit(Math.max(1, Runtime.getRuntime().availableProcessors() / workers));
        TrainingStep step = new TrainingStep(models, TrainingConfig.defaults(), 0);
        java.util.Random r = new java.util.Random(3);
        java.util.List<MultiDataSet> b = new java.util.ArrayList<>();
        for (int k = 0; k < workers; k++) {
            b.add(batch(100, 9, 11, 8000, r));
        }
        double warmMillis = 0;
        int warmSteps = 0;
        OpTimer timer = new OpTimer();
        for (int i = 0, n = Integer.getInteger("steps", 12); i < n; i++) {
            if (i == 8 && Boolean.getBoolean("optime")) { m.trainingGraph().setListeners(timer); m.trainingGraph().getFunction("grad").setListeners(timer); }
            if (i == 8 && Boolean.getBoolean("prof")) { org.nd4j.linalg.profiler.OpProfiler.getInstance().reset(); org.nd4j.linalg.factory.Nd4j.getExecutioner().setProfilingConfig(org.nd4j.linalg.profiler.ProfilerConfig.builder().notOptimalArguments(false).checkForNAN(false).stackTrace(false).build()); org.nd4j.linalg.factory.Nd4j.getExecutioner().setProfilingMode(org.nd4j.linalg.api.ops.executioner.OpExecutioner.ProfilingMode.OPERATIONS); }
            long s = System.nanoTime(), opsBefore = timer.opNanos, faultsBefore = minorFaults();
            double gcBefore = dev.fulcrum.model.train.NativeMemory.collectionSeconds();
            var o = step.fit(b, new Knobs(0.1, 0.2, 0.9, 0.1, 0.01));
            if (i >= 8 && Boolean.getBoolean("optime")) {
                double wall = (System.nanoTime() - s) / 1e6, ops = (timer.opNanos - opsBefore) / 1e6;
                double gc = (dev.fulcrum.model.train.NativeMemory.collectionSeconds() - gcBefore) * 1e3;
                System.out.printf("PHASES step %d: wall %.0f ms = graph ops %.0f + native GC %.0f + rest %.0f; %d page faults, resident %.2f GB%n",
                        i, wall, ops, gc, wall - ops - gc, minorFaults() - faultsBefore, org.bytedeco.javacpp.Pointer.physicalBytes() / 1e9);
            }
            if (i == 11 && Boolean.getBoolean("prof")) org.nd4j.linalg.profiler.OpProfiler.getInstance().printOutDashboard();
            if (i == n - 1 && Boolean.getBoolean("optime")) timer.print(40);
            double millis = (System.nanoTime() - s) / 1e6;
            if (i >= 10) {
                warmMillis += millis;
                warmSteps++;
            }
            System.out.printf("step %d loss %.4f norm %.3f  %.0f ms%n", i, o.loss(), o.gradientNorm(), millis);
        }
        long tokens = b.stream().mapToLong(dev.fulcrum.model.data.Batcher::realTokens).sum();
        System.out.printf("SUMMARY workers %d: mean step %.0f ms (steps 10..), %.0f tokens/s%n", workers,
                warmMillis / Math.max(1, warmSteps), tokens * 1000.0 * warmSteps / Math.max(1e-9, warmMillis));
        step.close();
        System.out.printf("resident %.2f GB, native collections %d%n", org.bytedeco.javacpp.Pointer.physicalBytes() / 1e9,
                dev.fulcrum.model.train.NativeMemory.collections());
    }
}
