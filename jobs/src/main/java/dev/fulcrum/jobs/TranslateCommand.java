package dev.fulcrum.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.ml.FulcrumTranslationModel;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.decode.SentenceTranslator;
import dev.fulcrum.model.io.ModelFormatException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fulcrum translate}: a text file or stdin line by line (one line in, one line out, in order, no Spark), or
 * a table, a Parquet input or a directory on Spark into Parquet (source, translation), through the Spark ML
 * model's {@code transform}.
 */
@Command(name = "translate", mixinStandardHelpOptions = true, description = {
    "Translate with a trained model.",
    "A text file or stdin (-) is translated line by line to a file or stdout. A directory (TSV or Parquet files), a "
        + "Parquet file or a Spark catalog table -- or any input with --master -- is translated on Spark into a "
        + "Parquet directory --output with the columns source and translation (a TSV line's source is its first "
        + "field)."})
final class TranslateCommand implements Callable<Integer> {
    private static final int BATCH = 32;

    @Mixin
    ModelOptions model;

    @Option(names = "--input", paramLabel = "FILE|-", defaultValue = "-", description = "source lines (default stdin)")
    String input;

    @Option(names = "--output", paramLabel = "FILE|DIR|-", defaultValue = "-",
            description = "translations (default stdout); a new Parquet directory when translating on Spark")
    String output;

    @Option(names = "--master", paramLabel = "URL", description = "translate on this Spark master (spark-submit's wins)")
    String master;

    @Option(names = "--source-column", paramLabel = "NAME", defaultValue = "source",
            description = "source column of a Parquet input or table (default ${DEFAULT-VALUE})")
    String sourceColumn;

    @Override
    public Integer call() throws IOException {
        if (master != null || TableTranslation.isTable(input)) {
            return translateOnSpark();
        }
        TranslationModel loaded = model.load();
        try (SentenceTranslator translator = new SentenceTranslator(loaded, model.decodeOptions(), BATCH, 1);
             BufferedReader in = TextFiles.reader(input); PrintWriter out = TextFiles.writer(output)) {
            List<String> batch = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                batch.add(line);
                if (batch.size() == BATCH) {
                    print(translator.translate(batch), out);
                    batch.clear();
                }
            }
            print(translator.translate(batch), out);
        }
        return 0;
    }

    private Integer translateOnSpark() throws IOException {
        if (output.equals("-")) {
            throw new FulcrumCli.UserFacingException("translating " + input + " on Spark needs --output DIR "
                    + "(a new Parquet directory)", null);
        }
        FulcrumTranslationModel translator;
        try {
            translator = FulcrumTranslationModel.fromModelDirectory(model.dir.toString());
        } catch (ModelFormatException | NoSuchFileException e) {
            throw new FulcrumCli.UserFacingException("cannot load the model in " + model.dir + ": " + e.getMessage(), e);
        }
        translator.setConfig("decode.beam", model.beam).setConfig("decode.lengthPenalty", model.lengthPenalty);
        try (SparkSession spark = Sessions.start(new RunConfig.SparkSettings(
                master == null ? "local[*]" : master, "fulcrum-translate"))) {
            TableTranslation.Result result = TableTranslation.run(spark, translator, input, sourceColumn, output);
            System.out.printf("translated %,d rows in %.1f s (%.1f sentences/s, %d sources cut to the model's "
                            + "maximum length) into %s%n", result.rows(), result.seconds(),
                    result.rows() / result.seconds(), result.truncated(), output);
        }
        return 0;
    }

    /** Empty lines stay empty lines. */
    private static void print(SentenceTranslator.Translations translations, PrintWriter out) {
        translations.texts().forEach(text -> out.println(text == null ? "" : text));
    }
}
