package dev.fulcrum.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ReportsTest {
    @Test
    void aRunWithoutBleuSaysHowToMeasureItInsteadOfNaN() {
        String line = Reports.validation(Double.NaN, Double.NaN, 3.1, 22.2, Path.of("runs/bench"));
        assertFalse(line.contains("NaN"), line);
        assertTrue(line.contains("not measured") && line.contains("bin/fulcrum evaluate --model runs/bench/model"),
                line);
        assertEquals("validation: BLEU 41.20  chrF 60.00  loss 3.100  ppl 22.20",
                Reports.validation(41.2, 60, 3.1, 22.2, Path.of("runs/x")));
    }
}
