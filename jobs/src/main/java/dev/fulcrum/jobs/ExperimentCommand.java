package dev.fulcrum.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.fulcrum.driver.TrainJob;
import dev.fulcrum.jobs.experiment.ExperimentPlan;
import dev.fulcrum.jobs.experiment.ExperimentReport;
import dev.fulcrum.jobs.experiment.ExperimentRun;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fulcrum experiment}: trains a baseline and each balancing configuration at equal compute (same seed,
 * data, steps and minibatches) one after the other in one Spark session, and writes the comparison table.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Train variants (e.g. softmax, sinkhorn, balancing penalties, a head budget) at equal compute"
                + " and compare them: OUT/experiment.md, OUT/experiment.json, one run directory OUT/<variant> each.",
            "Experiment file: run = FILE, set { key = value }, decodeSentences = N,"
                + " variants = [ { name = ..., set { ... } } ] (see conf/experiment-sample.conf)."})
final class ExperimentCommand implements Callable<Integer> {
    @Option(names = "--conf", required = true, paramLabel = "FILE", description = "experiment file (HOCON)")
    Path conf;

    @Option(names = "--out", paramLabel = "DIR",
            description = "experiment directory (default runs/<experiment file name>); must not hold its variants yet")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override one run key for every variant, after the experiment's set, e.g. train.rounds=2")
    List<String> overrides = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExperimentPlan plan = ExperimentPlan.load(conf, overrides, out != null ? out : defaultOut(conf));
        requireFreshRunDirectories(plan);
        String started = Instant.now().toString();
        try (SparkSession spark = Sessions.start(plan.variants().get(0).config().spark())) {
            ExperimentRun run = new ExperimentRun(spark, plan, System.out, commandLine(), started);
            ExperimentReport report = run.run((variant, result) ->
                    Reports.finish(System.out, result, Path.of(variant.config().output().dir())));
            System.out.println();
            System.out.print(report.table());
            System.out.println("written: " + plan.out().resolve(ExperimentReport.MARKDOWN) + ", "
                    + plan.out().resolve(ExperimentReport.JSON_FILE));
        }
        return 0;
    }

    /** runs/experiment-sample for conf/experiment-sample.conf. */
    private static Path defaultOut(Path conf) {
        String name = conf.getFileName().toString();
        return Path.of("runs", name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name);
    }

    /** Checked before Spark starts: finding an occupied directory at the third variant would waste two. */
    private static void requireFreshRunDirectories(ExperimentPlan plan) {
        for (ExperimentPlan.Variant variant : plan.variants()) {
            Path dir = Path.of(variant.config().output().dir());
            if (Files.exists(dir)) {
                throw new FulcrumCli.UserFacingException(dir + " already exists: an experiment trains every variant"
                        + " from scratch; choose another --out or delete it", null);
            }
        }
    }

    /** The command as typed, for the report: arguments quoted where a shell would need it. */
    private String commandLine() {
        List<String> words = new ArrayList<>(List.of("fulcrum"));
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            words.add(arg.matches("[\\w./=:,@+%-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return String.join(" ", words);
    }
}
