package dev.fulcrum.ml;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.fulcrum.driver.TrainJob;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.io.ModelStore;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Fulcrum as a Spark ML {@link Estimator}: {@code fit} trains a translation model on the pairs of two string
 * columns, exactly as {@code bin/fulcrum train} trains on a corpus (ingest cleaning with bad rows counted by
 * reason, BPE vocabulary, parameter averaging, tuner, checkpoints and metrics in {@code output.dir}, progress on
 * standard output), and returns a {@link FulcrumTranslationModel}.
 *
 * <p>Every run configuration key is a param of the same name, type, default and documentation
 * ({@code train.rounds}, {@code model.modelDim}, ...; {@code explainParams()} lists them), set with
 * {@link #setConfig}; the corpus is the DataFrame and Spark is its session, so {@code corpus.train},
 * {@code ingest.format}, {@code ingest.sourceColumn}, {@code ingest.targetColumn} and {@code spark.*} are not
 * params. {@code output.dir} is a path of the driver's file system (on Databricks a {@code /dbfs/...} or
 * {@code /Volumes/...} path) and must not hold a run yet.
 */
public final class FulcrumTranslator extends Estimator<FulcrumTranslationModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> sourceCol;
    private final Param<String> targetCol;
    private final Param<String> outputCol;
    private final List<Param<?>> configParams;

    public FulcrumTranslator() {
        this(Identifiable.randomUID("fulcrumTranslator"));
    }

    public FulcrumTranslator(String uid) {
        this.uid = uid;
        this.sourceCol = Columns.param(this, "sourceCol", "column of source sentences (string)");
        this.targetCol = Columns.param(this, "targetCol", "column of their reference translations (string)");
        this.outputCol = Columns.param(this, "outputCol", "column the fitted model writes its translations to");
        setDefault(sourceCol, "source");
        setDefault(targetCol, "target");
        setDefault(outputCol, "translation");
        this.configParams = ConfigParams.create(this, key -> !ConfigParams.SET_BY_ESTIMATOR.contains(key));
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> sourceCol() {
        return sourceCol;
    }

    public Param<String> targetCol() {
        return targetCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public String getSourceCol() {
        return $(sourceCol);
    }

    public String getTargetCol() {
        return $(targetCol);
    }

    public String getOutputCol() {
        return $(outputCol);
    }

    public FulcrumTranslator setSourceCol(String column) {
        set(sourceCol, column);
        return this;
    }

    public FulcrumTranslator setTargetCol(String column) {
        set(targetCol, column);
        return this;
    }

    public FulcrumTranslator setOutputCol(String column) {
        set(outputCol, column);
        return this;
    }

    /**
     * Sets the configuration key {@code key} (e.g. {@code "train.rounds"}) to {@code value}: a number, a boolean
     * or a string, converted to the key's type.
     *
     * @throws dev.fulcrum.model.config.ConfigException for an unknown key or a value the key does not allow
     */
    public FulcrumTranslator setConfig(String key, Object value) {
        Param<Object> param = ConfigParams.find(configParams, key, "FulcrumTranslator");
        set(param, ConfigParams.convert(param, value));
        return this;
    }

    /** {@link #setConfig(String, Object)} for every entry. */
    public FulcrumTranslator setConfig(Map<String, ?> settings) {
        settings.forEach(this::setConfig);
        return this;
    }

    /** The value (set or default) of the configuration key {@code key}. */
    public Object getConfig(String key) {
        return $(ConfigParams.find(configParams, key, "FulcrumTranslator"));
    }

    /** The column params, then every configuration key; Spark's reflection would find only the first three. */
    @Override
    public Param<?>[] params() {
        List<Param<?>> all = new ArrayList<>(List.of(sourceCol, targetCol, outputCol));
        all.addAll(configParams);
        return all.toArray(Param<?>[]::new);
    }

    @Override
    public FulcrumTranslationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        SparkSession spark = dataset.sparkSession();
        String view = "fulcrum_corpus_" + uid.replaceAll("\\W", "_") + "_" + System.nanoTime();
        dataset.toDF().select(col(getSourceCol()).as("source"), col(getTargetCol()).as("target"))
                .createOrReplaceTempView(view);
        try {
            TrainJob.Result result = new TrainJob(spark, runConfig(view), System.out).run(false);
            FulcrumTranslationModel model = new FulcrumTranslationModel(uid,
                    ModelStore.toArchiveBytes(result.model()));
            copyValues(model, ParamMap.empty());
            model.setParent(this);
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            spark.catalog().dropTempView(view);
        }
    }

    /** The run configuration of these params, the DataFrame registered as the view {@code corpusView}. */
    RunConfig runConfig(String corpusView) {
        Map<String, Object> settings = ConfigParams.settings(this, configParams);
        settings.put("corpus.train", corpusView);
        settings.put("ingest.format", "table");
        settings.put("ingest.sourceColumn", "source");
        settings.put("ingest.targetColumn", "target");
        return RunConfig.load(settings);
    }

    /**
     * The fitted model's output schema; checks the columns (present, strings, output column free) and the whole
     * run configuration, so that a mistake shows before any training starts.
     */
    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireText(schema, "sourceCol", getSourceCol());
        Columns.requireText(schema, "targetCol", getTargetCol());
        runConfig("corpus");
        return Columns.withOutput(schema, "outputCol", getOutputCol());
    }

    @Override
    public FulcrumTranslator copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<FulcrumTranslator> read() {
        return new DefaultParamsReader<>();
    }

    public static FulcrumTranslator load(String path) {
        return read().load(path);
    }
}
