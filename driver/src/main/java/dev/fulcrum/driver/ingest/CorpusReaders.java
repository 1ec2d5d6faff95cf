package dev.fulcrum.driver.ingest;

import dev.fulcrum.model.config.Check;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

/** One reader per {@link CorpusFormat}, each giving rows of {@link RawPair#SCHEMA}. */
final class CorpusReaders {
    private CorpusReaders() {
    }

    static Dataset<Row> read(SparkSession spark, String path, CorpusFormat format, IngestOptions options) {
        return switch (format) {
            case TSV -> tsv(spark, path);
            case PARQUET -> {
                CorpusFiles.requireExists(spark, path);
                yield columns(spark.read().parquet(path), options);
            }
            case TABLE -> {
                if (!spark.catalog().tableExists(path)) {
                    throw new CorpusException("corpus table not found: " + path);
                }
                yield columns(spark.table(path), options);
            }
            case MOSES -> moses(spark, path, options);
            case GETTEXT -> gettext(spark, path);
            case AUTO -> throw new IllegalArgumentException("AUTO is resolved before reading");
        };
    }

    private static Dataset<Row> tsv(SparkSession spark, String path) {
        JavaRDD<Row> rows = lines(spark, CorpusFiles.textFiles(spark, path))
                .map(line -> tsvPair(line.text()).toRow(line.origin(), line.offset()));
        return spark.createDataFrame(rows, RawPair.SCHEMA);
    }

    /**
     * Source TAB target. A third field is dropped as {@link DropReason#EXTRA_COLUMN}, not guessed at: it may be
     * an id or a score, or a TAB inside a sentence that shifted the columns.
     */
    private static RawPair tsvPair(String line) {
        if (line == null) {
            return RawPair.dropped(DropReason.INVALID_UTF8);
        }
        int tab = line.indexOf('\t');
        if (tab < 0) {
            return RawPair.dropped(DropReason.MISSING_COLUMN);
        }
        if (line.indexOf('\t', tab + 1) >= 0) {
            return RawPair.dropped(DropReason.EXTRA_COLUMN);
        }
        return RawPair.of(line.substring(0, tab), line.substring(tab + 1));
    }

    /**
     * Moses: line i of {@code path.sourceLang} translates line i of {@code path.targetLang}. Files of different
     * lengths are an error rather than dropped rows: one lost line shifts every pair after it.
     */
    private static Dataset<Row> moses(SparkSession spark, String prefix, IngestOptions options) {
        String sourcePath = prefix + "." + options.sourceLang();
        String targetPath = prefix + "." + options.targetLang();
        CorpusFiles.requireExists(spark, sourcePath);
        CorpusFiles.requireExists(spark, targetPath);
        JavaPairRDD<Long, String> source = numbered(lines(spark, sourcePath));
        JavaPairRDD<Long, String> target = numbered(lines(spark, targetPath));
        long sourceLines = source.count();
        long targetLines = target.count();
        if (sourceLines != targetLines) {
            throw new CorpusException("Moses files are not line-aligned: " + sourcePath + " has " + sourceLines
                    + " lines, " + targetPath + " has " + targetLines);
        }
        JavaRDD<Row> rows = source.join(target).map(numberedPair -> {
            Tuple2<String, String> pair = numberedPair._2();
            RawPair raw = pair._1() == null || pair._2() == null ? RawPair.dropped(DropReason.INVALID_UTF8)
                    : RawPair.of(pair._1(), pair._2());
            return raw.toRow(prefix, numberedPair._1());
        });
        return spark.createDataFrame(rows, RawPair.SCHEMA);
    }

    /** Line number → text (null when not UTF-8); a single file's splits come in offset order. */
    private static JavaPairRDD<Long, String> numbered(JavaRDD<Line> lines) {
        return lines.zipWithIndex().mapToPair(line -> new Tuple2<>(line._2(), line._1().text()));
    }

    /** Whole files, since gettext entries span lines; each catalog is parsed by its extension. */
    private static Dataset<Row> gettext(SparkSession spark, String path) {
        String catalogs = CorpusFiles.pathList(CorpusFiles.catalogs(spark, path));
        JavaRDD<Row> rows = context(spark).binaryFiles(catalogs).flatMap(file -> {
            String origin = file._1();
            byte[] bytes = file._2().toArray();
            List<RawPair> pairs = origin.toLowerCase(Locale.ROOT).endsWith(".mo")
                    ? moPairs(bytes, origin) : PoParser.parse(bytes);
            return IntStream.range(0, pairs.size()).mapToObj(i -> pairs.get(i).toRow(origin, i)).iterator();
        });
        return spark.createDataFrame(rows, RawPair.SCHEMA);
    }

    private static List<RawPair> moPairs(byte[] bytes, String origin) {
        try {
            return MoParser.parse(bytes, origin);
        } catch (CorpusException damaged) {
            return List.of(RawPair.dropped(DropReason.DAMAGED_CATALOG));
        }
    }

    /** Two named columns of any table; a null cell is a missing column, other types are read as text. */
    private static Dataset<Row> columns(Dataset<Row> table, IngestOptions options) {
        return table.select(
                input_file_name().as("origin"),
                monotonically_increasing_id().as("position"),
                column(table, "ingest.sourceColumn", options.sourceColumn()).cast("string").as("source"),
                column(table, "ingest.targetColumn", options.targetColumn()).cast("string").as("target"),
                lit(null).cast("string").as("reason"));
    }

    private static org.apache.spark.sql.Column column(Dataset<Row> table, String key, String name) {
        Check.oneOf(key, name, table.columns());
        return col("`" + name.replace("`", "``") + "`");
    }

    /**
     * The raw bytes of every line, decoded strictly: Spark's text source would silently turn invalid UTF-8
     * into U+FFFD. Hadoop's record reader strips {@code \n}, {@code \r\n} and {@code \r}.
     */
    private static JavaRDD<Line> lines(SparkSession spark, String path) {
        JavaHadoopRDD<LongWritable, Text> file = (JavaHadoopRDD<LongWritable, Text>) context(spark)
                .hadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class);
        return file.mapPartitionsWithInputSplit((split, records) -> {
            String origin = ((FileSplit) split).getPath().toString();
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(records, Spliterator.ORDERED), false)
                    .map(record -> new Line(origin, record._1().get(), StrictDecoder.decode(
                            record._2().getBytes(), 0, record._2().getLength(), StandardCharsets.UTF_8)))
                    .iterator();
        }, true);
    }

    private static JavaSparkContext context(SparkSession spark) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    /** A line of a text file at byte {@code offset}; {@code text} is null when the bytes are not UTF-8. */
    private record Line(String origin, long offset, String text) implements Serializable {
    }
}
