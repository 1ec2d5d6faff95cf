package dev.fulcrum.model.attention;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The keys are part of metrics.jsonl: runs written before this enum existed must still read. */
class HeadStatisticTest {

    @Test
    void keysAreTheNamesMetricsFilesUse() {
        assertEquals(List.of("entropy", "columnDeviation", "coverageUnderRun", "firstPositionMass", "gateOpen"),
                Arrays.stream(HeadStatistic.values()).map(HeadStatistic::key).toList());
    }

    @Test
    void namesOfLayerStatistics() {
        assertEquals("dec1.cross.coverageUnderRun", HeadStatistic.COVERAGE_UNDER_RUN.of("dec1.cross"));
        assertEquals(Optional.of("dec1.cross"), HeadStatistic.COVERAGE_UNDER_RUN.layerOf("dec1.cross.coverageUnderRun"));
        assertEquals(Optional.empty(), HeadStatistic.ENTROPY.layerOf("enc0.self.columnDeviation"));
        assertFalse(HeadStatistic.GATE_OPEN.names("enc0.self.entropy"));
    }
}
