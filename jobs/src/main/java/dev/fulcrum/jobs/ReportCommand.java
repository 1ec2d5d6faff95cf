package dev.fulcrum.jobs;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.fulcrum.jobs.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fulcrum report}: the run report, one self-contained HTML file in the run directory (no Spark). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write DIR/report.html: learning curves, knobs, attention statistics and heatmaps, pruned heads.")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "run directory (e.g. runs/latest)")
    Path run;

    @Override
    public Integer call() throws Exception {
        System.out.println("report: " + RunReport.write(run));
        return 0;
    }
}
