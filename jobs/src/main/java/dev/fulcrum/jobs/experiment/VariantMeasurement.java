package dev.fulcrum.jobs.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import dev.fulcrum.driver.TrainJob;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.driver.run.RunDirectory;
import dev.fulcrum.driver.round.RoundReport;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.eval.Evaluator;
import dev.fulcrum.model.text.BpeTokenizer;

/**
 * A trained variant's row: the validation loss of its last round (the job measured it over all validation
 * pairs already), its training totals from metrics.jsonl, and one timed decode of the validation sample with
 * the exported model (what the run's model/ holds; pruned when gated), which gives both BLEU/chrF and
 * translation speed. The decode is what {@code evaluate} runs: {@link Evaluator#quality} with the run's decode
 * options and batch size, as training's per-round BLEU sample does.
 */
final class VariantMeasurement {
    private VariantMeasurement() {
    }

    static VariantResult measure(ExperimentPlan.Variant variant, TrainJob.Result result, ValidationSample sample,
                                 PrintStream out) throws IOException {
        RunConfig config = variant.config();
        TranslationModel model = result.model();
        Decode decode = decode(model, config, sample, out);
        double validNll = result.finalReport().map(RoundReport::validNll).orElse(Double.NaN);
        RunTotals totals = RunTotals.read(new RunDirectory(Path.of(config.output().dir())).metrics());
        return new VariantResult(variant.name(), decode.quality().bleu(), decode.quality().chrf(), validNll,
                Math.exp(validNll), model.remainingHeads(), model.architectureHeads(),
                sample.sources().size() / decode.seconds(), sample.sources().size(), totals.tokens(),
                totals.roundSeconds(), result.last().step(), decode.failure());
    }

    /** A timed translation of the sample; {@code failure} is "" unless it failed. */
    private record Decode(Evaluator.QualityReport quality, double seconds, String failure) {
    }

    /**
     * A model that cannot decode must not cost the experiment the variants after it, nor this variant's
     * training figures: its failure is reported and its BLEU, chrF and speed are left empty.
     */
    private static Decode decode(TranslationModel model, RunConfig config, ValidationSample sample, PrintStream out) {
        long began = System.nanoTime();
        try {
            Evaluator.QualityReport quality = new Evaluator(model.transformer()).quality(
                    new BpeTokenizer(model.vocabulary()), sample.sources(), sample.references(), config.decode(),
                    config.eval().batchSize());
            return new Decode(quality, Math.max(1e-9, (System.nanoTime() - began) / 1e9), "");
        } catch (RuntimeException e) {
            String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            out.println("warning: the final model could not translate the validation sample: " + failure);
            e.printStackTrace(out);
            return new Decode(new Evaluator.QualityReport(Double.NaN, Double.NaN, List.of()), Double.NaN, failure);
        }
    }

}
