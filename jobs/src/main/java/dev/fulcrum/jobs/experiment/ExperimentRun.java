package dev.fulcrum.jobs.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.fulcrum.driver.TrainJob;
import org.apache.spark.sql.SparkSession;

/**
 * Trains the variants of a plan one after the other in one Spark session, each into its own run directory
 * with the tuner its configuration names, measures each final model ({@link VariantMeasurement}) and rewrites
 * the report after every variant, so that the variants finished so far survive a failure of a later one.
 */
public final class ExperimentRun {
    private final SparkSession spark;
    private final ExperimentPlan plan;
    private final PrintStream out;
    private final String command;
    private final String started;

    /**
     * @param command the command line, for the report
     * @param started when the experiment started (ISO-8601), for the report
     */
    public ExperimentRun(SparkSession spark, ExperimentPlan plan, PrintStream out, String command, String started) {
        this.spark = spark;
        this.plan = plan;
        this.out = out;
        this.command = command;
        this.started = started;
    }

    /** What the caller does with a variant as soon as it has trained (print it, write its run report). */
    @FunctionalInterface
    public interface AfterTraining {
        void accept(ExperimentPlan.Variant variant, TrainJob.Result result) throws IOException;
    }

    /** @param afterTraining sees every variant's job result as soon as it has trained */
    public ExperimentReport run(AfterTraining afterTraining) throws IOException {
        List<ExperimentPlan.Variant> variants = plan.variants();
        ValidationSample sample = ValidationSample.load(spark, variants.get(0).config(), plan.decodeSentences());
        out.printf("experiment: %d variants at equal compute; each final model translates %d validation sentences%n",
                variants.size(), sample.sources().size());
        List<VariantResult> rows = new ArrayList<>();
        ExperimentReport.Header header = null;
        ExperimentReport report = null;
        for (int i = 0; i < variants.size(); i++) {
            ExperimentPlan.Variant variant = variants.get(i);
            out.printf("%n=== variant %d/%d: %s → %s ===%n", i + 1, variants.size(), variant.name(),
                    variant.config().output().dir());
            TrainJob.Result result = new TrainJob(spark, variant.config(), out).run(false);
            afterTraining.accept(variant, result);
            VariantResult row = VariantMeasurement.measure(variant, result, sample, out);
            out.printf(Locale.ROOT, "%s: BLEU %.2f, chrF %.2f, %.1f sentences/s (%d validation sentences, beam %d)%n",
                    row.name(), row.bleu(), row.chrf(), row.sentencesPerSecond(), row.decodedSentences(),
                    variant.config().decode().beamSize());
            rows.add(row);
            if (header == null) {
                header = ExperimentReport.Header.of(plan, command, started,
                        result.model().provenance().gitRevision());
            }
            report = new ExperimentReport(header, rows);
            report.write(plan.out());
        }
        return report;
    }
}
