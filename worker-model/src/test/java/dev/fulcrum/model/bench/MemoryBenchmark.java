package dev.fulcrum.model.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.train.TrainingStep;
import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Resident memory of a JVM training the reference-size model, step by step (prints, asserts nothing):
 * {@code -Dsteps=40 -Dgc=true} adds a full collection after every step, to tell garbage the collector has
 * not reached yet from memory that something keeps; {@code -Dvary=true} draws both lengths from 2–41 (many
 * batch shapes, as length-bucketed real data has) instead of near-constant ones.
 */
@Tag("bench")
class MemoryBenchmark {
    @Test
    void residentMemoryPerStep() throws Exception {
        int steps = Integer.getInteger("steps", 30);
        boolean gc = Boolean.getBoolean("gc");
        Transformer model = Transformer.initialize(ModelConfig.base(8000), 1, DataType.FLOAT);
        TrainingStep step = new TrainingStep(model, TrainingConfig.defaults());
        Random random = new Random(1);
        for (int i = 0; i < steps; i++) {
            int ts = Boolean.getBoolean("vary") ? 2 + random.nextInt(40) : 8 + random.nextInt(4);
            int tt = Boolean.getBoolean("vary") ? 2 + random.nextInt(40) : 10 + random.nextInt(4);
            MultiDataSet batch = StepBenchmark.batch(Math.max(4, 2000 / (ts + tt)), ts, tt, 8000, random);
            long began = System.nanoTime();
            step.fit(batch, Knobs.NONE);
            if (gc) {
                System.gc();
            }
            System.out.printf("MEMORY step %d  %.2f s  rss %.2f GB  heap %.2f GB%n", i + 1,
                    (System.nanoTime() - began) / 1e9, rssGb(), (Runtime.getRuntime().totalMemory()
                            - Runtime.getRuntime().freeMemory()) / 1e9);
        }
    }

    private static double rssGb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1e6;
            }
        }
        return -1;
    }
}
