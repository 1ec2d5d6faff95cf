package dev.fulcrum.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.io.ModelStore;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * A trained Fulcrum model as a Spark ML {@link Model}: {@code transform} adds a column with the translation of a
 * string column, decoded on the executors (the model travels once as its archive's bytes, each partition builds
 * it once and decodes in length-sorted batches with beam search). A null or blank source gives a null
 * translation; a source longer than the model accepts is cut to {@code model.maxLength} tokens and counted in the
 * accumulator {@link #truncatedInputs()}, never an error.
 *
 * <p>Decoding is tuned by the {@code decode.*} keys and {@code eval.batchSize} (sentences decoded together), params
 * of the same names as in the run configuration. {@code write().save(path)} writes Fulcrum's normal model
 * directory (checksummed, loadable by {@code bin/fulcrum translate --model path}) plus Spark's {@code metadata/};
 * {@link #load} reads it back, alone or inside a {@code PipelineModel}.
 */
public final class FulcrumTranslationModel extends Model<FulcrumTranslationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final byte[] archive;
    private final Param<String> sourceCol;
    private final Param<String> outputCol;
    private final List<Param<?>> decodeParams;
    private transient LongAccumulator truncated;

    /** @param archive the model's archive, as {@link ModelStore#toArchiveBytes} makes it */
    public FulcrumTranslationModel(String uid, byte[] archive) {
        this.uid = uid;
        this.archive = archive.clone();
        this.sourceCol = Columns.param(this, "sourceCol", "column of source sentences (string)");
        this.outputCol = Columns.param(this, "outputCol", "column the translations are written to");
        setDefault(sourceCol, "source");
        setDefault(outputCol, "translation");
        this.decodeParams = ConfigParams.create(this,
                key -> key.startsWith("decode.") || key.equals("eval.batchSize"));
    }

    /**
     * The model of {@code dir}, a Fulcrum model directory (e.g. {@code runs/latest/model}), with a random uid.
     *
     * @throws dev.fulcrum.model.io.ModelFormatException if a file is missing, damaged or foreign
     */
    public static FulcrumTranslationModel fromModelDirectory(String dir) throws IOException {
        return new FulcrumTranslationModel(Identifiable.randomUID("fulcrumTranslationModel"),
                ModelStore.archiveBytes(java.nio.file.Path.of(dir)));
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> sourceCol() {
        return sourceCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public String getSourceCol() {
        return $(sourceCol);
    }

    public String getOutputCol() {
        return $(outputCol);
    }

    public FulcrumTranslationModel setSourceCol(String column) {
        set(sourceCol, column);
        return this;
    }

    public FulcrumTranslationModel setOutputCol(String column) {
        set(outputCol, column);
        return this;
    }

    /** Sets a decoding key ({@code decode.beam}, {@code decode.lengthPenalty}, ..., {@code eval.batchSize}). */
    public FulcrumTranslationModel setConfig(String key, Object value) {
        Param<Object> param = ConfigParams.find(decodeParams, key, "FulcrumTranslationModel");
        set(param, ConfigParams.convert(param, value));
        return this;
    }

    /** The trained model itself (loaded from the archive), e.g. for its provenance or head plan. */
    public TranslationModel translationModel() {
        try {
            return ModelStore.fromArchiveBytes(archive);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Param<?>[] params() {
        List<Param<?>> all = new ArrayList<>(List.of(sourceCol, outputCol));
        all.addAll(decodeParams);
        return all.toArray(Param<?>[]::new);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType output = transformSchema(dataset.schema(), true);
        SparkSession spark = dataset.sparkSession();
        Broadcast<byte[]> model = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(archive);
        truncated = spark.sparkContext().longAccumulator("fulcrum: sources cut to model.maxLength");
        RunConfig decoding = decoding();
        PartitionTranslation translation = new PartitionTranslation(model, decoding.decode(),
                decoding.eval().batchSize(), dataset.schema().fieldIndex(getSourceCol()), truncated);
        return dataset.toDF().mapPartitions(translation, Encoders.row(output));
    }

    /**
     * How many sources the last {@link #transform} cut to the model's maximum length, counted as its result is
     * computed: a Spark accumulator, so a partition computed twice (a retried task, a sort that samples its input
     * first, an uncached result used by two actions) counts twice. Null before the first transform.
     */
    public LongAccumulator truncatedInputs() {
        return truncated;
    }

    /** The decoding keys, read and checked by the run configuration like every other key. */
    private RunConfig decoding() {
        return RunConfig.load(ConfigParams.settings(this, decodeParams));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireText(schema, "sourceCol", getSourceCol());
        return Columns.withOutput(schema, "outputCol", getOutputCol());
    }

    @Override
    public FulcrumTranslationModel copy(ParamMap extra) {
        FulcrumTranslationModel copy = copyValues(new FulcrumTranslationModel(uid, archive), extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new ModelFiles.Writer(this, archive);
    }

    public static MLReader<FulcrumTranslationModel> read() {
        return new ModelFiles.Reader();
    }

    public static FulcrumTranslationModel load(String path) {
        return read().load(path);
    }
}
