package dev.fulcrum.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.decode.SentenceTranslator;
import dev.fulcrum.model.io.ModelStore;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import dev.fulcrum.driver.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On local[2] and the shipped sample corpus: fit trains as `fulcrum train` does (run directory, metrics, model);
 * transform gives, row for row, what `fulcrum translate` gives for the same model (nulls and blanks as null,
 * over-long sources cut and counted); the model saves and loads alone and inside a PipelineModel, as a directory
 * Fulcrum itself loads.
 */
@Tag("slow")
class FulcrumTranslatorPipelineTest {
    private static final Path SAMPLE = Path.of("../data/sample/en-fr");
    private static SparkSession spark;
    private static Dataset<Row> pairs;
    private static FulcrumTranslationModel fitted;
    @TempDir
    static Path dir;

    @BeforeAll
    static void fit() {
        spark = LocalSpark.start("fulcrum-ml-test");
        pairs = tsv(SAMPLE.resolve("train.tsv")).limit(1500);
        fitted = tiny(new FulcrumTranslator()).setSourceCol("en").setTargetCol("fr")
                .setConfig("output.dir", dir.resolve("run").toString()).fit(pairs);
    }

    /** A model small enough to train in seconds; quality is not the point here, equality is. */
    private static FulcrumTranslator tiny(FulcrumTranslator translator) {
        return translator.setConfig("vocab.size", 400).setConfig("model.modelDim", 32).setConfig("model.heads", 2)
                .setConfig("model.ffnDim", 64).setConfig("model.encoderLayers", 1).setConfig("model.decoderLayers", 1)
                .setConfig("model.maxLength", 32).setConfig("train.rounds", 2).setConfig("train.stepsPerRound", 10)
                .setConfig("train.batchTokens", 600).setConfig("eval.bleuSentences", 0)
                .setConfig("split.validMax", 50);
    }

    private static Dataset<Row> tsv(Path file) {
        return spark.read().text(file.toString()).select(split(col("value"), "\t").getItem(0).as("en"),
                split(col("value"), "\t").getItem(1).as("fr"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void fitWritesTheRunAsTrainDoes() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(2, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        assertTrue(Files.readString(run.resolve("ingest.json")).contains("\"kept\""));
        TranslationModel saved = ModelStore.load(run.resolve("model"));
        assertEquals(32, saved.transformer().config().modelDim());
        assertEquals(fitted.translationModel().provenance(), saved.provenance());
        assertEquals("en", fitted.getSourceCol());
        assertTrue(fitted.parent() instanceof FulcrumTranslator);
    }

    @Test
    void transformTranslatesAsTheCommandLineDoes() throws IOException {
        List<String> sources = new ArrayList<>(tsv(SAMPLE.resolve("valid.tsv")).limit(40).select("en")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        String overLong = String.join(" ", java.util.Collections.nCopies(60, "unable to rename the documents"));
        sources.addAll(Arrays.asList(null, "", "   ", overLong));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            rows.add(RowFactory.create(i, sources.get(i)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("en", DataTypes.StringType);
        Dataset<Row> input = spark.createDataFrame(rows, schema).repartition(3);

        // One action, so that the accumulator counts each partition once (a sort would compute them twice).
        List<Row> output = new ArrayList<>(fitted.transform(input).collectAsList());
        output.sort(java.util.Comparator.comparingInt(row -> row.getInt(0)));

        SentenceTranslator.Translations expected;
        try (SentenceTranslator alone = new SentenceTranslator(ModelStore.load(dir.resolve("run/model")),
                RunConfig.defaults().decode(), 32, 1)) {
            expected = alone.translate(sources);
        }
        assertEquals(sources.size(), output.size());
        for (int i = 0; i < sources.size(); i++) {
            assertEquals(i, output.get(i).getInt(0));
            assertEquals(sources.get(i), output.get(i).getString(1));
            assertEquals(expected.texts().get(i), output.get(i).getString(2), "row " + i);
        }
        assertNull(output.get(40).get(2));
        assertNull(output.get(41).get(2));
        assertNull(output.get(42).get(2));
        assertTrue(output.get(43).getString(2) != null);
        assertTrue(expected.truncated() >= 1, "the over-long source at least");
        assertEquals(expected.truncated(), fitted.truncatedInputs().value());
    }

    @Test
    void theModelSavesAndLoadsAloneAndInAPipeline() throws IOException {
        Dataset<Row> some = tsv(SAMPLE.resolve("valid.tsv")).limit(12).select("en");
        List<Row> before = fitted.transform(some).collectAsList();

        String alone = dir.resolve("alone").toString();
        fitted.copy(ParamMap.empty()).setConfig("decode.beam", 2).write().save(alone);
        FulcrumTranslationModel loaded = FulcrumTranslationModel.load(alone);
        assertEquals(fitted.uid(), loaded.uid());
        assertEquals(2, loaded.getOrDefault(loaded.getParam("decode.beam")));
        assertEquals("en", loaded.getSourceCol());
        ModelStore.load(Path.of(alone)); // Fulcrum's own model directory, verified
        assertThrows(IOException.class, () -> fitted.write().save(alone), "never over an existing path unasked");

        PipelineModel pipeline = new PipelineModel("pipeline", new org.apache.spark.ml.Transformer[] {fitted});
        String saved = dir.resolve("pipeline-model").toString();
        pipeline.write().save(saved);
        PipelineModel reloaded = PipelineModel.load(saved);
        assertEquals(before, reloaded.transform(some).collectAsList());
    }

    @Test
    void anUnfittedPipelineKeepsTheEstimatorsParams() throws IOException {
        FulcrumTranslator translator = tiny(new FulcrumTranslator()).setSourceCol("en").setConfig("train.rounds", 3);
        String saved = dir.resolve("pipeline").toString();
        new Pipeline().setStages(new PipelineStage[] {translator}).write().save(saved);
        FulcrumTranslator reloaded = (FulcrumTranslator) Pipeline.load(saved).getStages()[0];
        assertEquals(translator.uid(), reloaded.uid());
        assertEquals(3, reloaded.getConfig("train.rounds"));
        assertEquals(32, reloaded.getConfig("model.modelDim"));
        assertEquals("en", reloaded.getSourceCol());
    }
}
