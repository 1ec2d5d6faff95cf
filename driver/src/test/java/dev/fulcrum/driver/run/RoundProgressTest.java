package dev.fulcrum.driver.run;

import dev.fulcrum.driver.round.TunerDecision;
import static dev.fulcrum.driver.train.RoundReports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.fulcrum.driver.round.RoundReport;
import dev.fulcrum.driver.round.RoundState;
import dev.fulcrum.driver.tune.Tuner;
import dev.fulcrum.model.config.Knobs;
import org.junit.jupiter.api.Test;

class RoundProgressTest {
    private static final Knobs KNOBS = new Knobs(0, 0.1, 0.9, 0, 0.1);

    private static String progress(TunerDecision decision) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RoundReport report = report(KNOBS, Map.of());
        new RoundProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0)
                .onRoundEnd(report, new RoundState(null, new float[0], 1, 20, decision, 2.0, 1.0, null));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aKnobChangeIsPrintedWithItsReason() {
        String printed = progress(new TunerDecision(new Knobs(0, 0.1, 0.9, 0, 0.14),
                "gateWeight 0.1→0.14: open heads 0.81 > budget 0.5"));
        assertTrue(printed.lines().anyMatch(
                line -> line.equals("  tuner: gateWeight 0.1→0.14: open heads 0.81 > budget 0.5")), printed);
    }

    @Test
    void unchangedKnobsPrintTheProgressLineAlone() {
        String printed = progress(new TunerDecision(KNOBS, "no change: fixed policy"));
        assertEquals(1, printed.lines().count(), printed);
    }
}
