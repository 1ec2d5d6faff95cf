package dev.fulcrum.jobs.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import dev.fulcrum.driver.run.RunDirectory;
import dev.fulcrum.driver.round.RunException;
import dev.fulcrum.model.io.SafeFiles;

/**
 * The run report: one self-contained HTML file, {@code DIR/report.html}, that works offline. It charts the
 * learning curves, the knobs and the tuner's decisions, the per-head attention statistics over the rounds,
 * the heads the model kept, attention heatmaps of a few validation sentences, and shows the run's
 * configuration. Written by {@code fulcrum report --run DIR}; training may write it at its end.
 */
public final class RunReport {
    public static final String FILE_NAME = "report.html";

    private RunReport() {
    }

    /**
     * Writes (or replaces) {@code runDir/report.html} from what the run directory holds now; files the run
     * has not written yet leave a note in their section.
     *
     * @return the report's path
     * @throws RunException if {@code runDir} is no run directory (no metrics.jsonl and no run.conf)
     */
    public static Path write(Path runDir) throws IOException {
        RunDirectory run = new RunDirectory(runDir);
        if (!Files.exists(run.metrics()) && !Files.exists(run.config())) {
            throw new RunException(runDir + " is not a run directory (it holds neither "
                    + run.metrics().getFileName() + " nor " + run.config().getFileName() + ")");
        }
        String html = HtmlPage.render(ReportModel.read(runDir));
        Path report = runDir.resolve(FILE_NAME);
        // A reader (a browser refreshing the page) sees the old report or the new one, never half of one.
        Path partial = runDir.resolve(FILE_NAME + RunDirectory.PARTIAL);
        try {
            SafeFiles.writeString(partial, html);
            Files.move(partial, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return report;
    }
}
