package dev.fulcrum.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import dev.fulcrum.driver.TrainJob;
import dev.fulcrum.driver.round.RoundState;
import dev.fulcrum.jobs.report.RunReport;

/** What a finished training prints: the final validation figures and a few example translations. */
final class Reports {
    private Reports() {
    }

    /** Prints the final figures and writes the run report of {@code runDir}. */
    static void finish(PrintStream out, TrainJob.Result result, Path runDir) throws IOException {
        printFinal(out, result, runDir);
        out.println("report: " + RunReport.write(runDir));
    }

    private static void printFinal(PrintStream out, TrainJob.Result result, Path runDir) {
        RoundState last = result.last();
        out.println();
        out.printf("finished after round %d (step %d)%n", last.round(), last.step());
        result.finalReport().ifPresent(r -> out.println(validation(r.bleu(), r.chrf(), r.validNll(),
                r.validPerplexity(), runDir)));
        out.printf("attention heads: %d of %d%n", result.model().remainingHeads(), result.model().architectureHeads());
        for (TrainJob.Example example : result.examples()) {
            out.println("  source     : " + example.source());
            out.println("  reference  : " + example.reference());
            out.println("  translation: " + example.translation());
            out.println();
        }
    }

    /** The final validation line; with eval.bleuSentences = 0 it says how to measure BLEU instead of "NaN". */
    static String validation(double bleu, double chrf, double nll, double perplexity, Path runDir) {
        String loss = String.format("loss %.3f  ppl %.2f", nll, perplexity);
        if (Double.isNaN(bleu)) {
            return "validation: " + loss + "  (BLEU/chrF not measured: eval.bleuSentences = 0; measure them with "
                    + "bin/fulcrum evaluate --model " + runDir.resolve("model") + " --corpus VALID.tsv)";
        }
        return String.format("validation: BLEU %.2f  chrF %.2f  ", bleu, chrf) + loss;
    }
}
