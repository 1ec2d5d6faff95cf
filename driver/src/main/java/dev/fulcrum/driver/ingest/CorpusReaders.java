package dev.fulcrum.driver.ingest;

import dev.fulcrum.model.config.Check;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.JobConf;
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
            case TSV -> tsv(spark, path, options);
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

    private static Dataset<Row> tsv(SparkSession spark, String path, IngestOptions options) {
        JavaRDD<Row> rows = lines(spark, CorpusFiles.textFiles(spark, path), options)
                .map(line -> tsvPair(line).toRow(line.origin(), line.offset()));
        return spark.createDataFrame(rows, RawPair.SCHEMA);
    }

    /**
     * Source TAB target. A third field is dropped as {@link DropReason#EXTRA_COLUMN}, not guessed at: it may be
     * an id or a score, or a TAB inside a sentence that shifted the columns.
     */
    private static RawPair tsvPair(Line text) {
        if (text.unreadable() != null) {
            return RawPair.dropped(text.unreadable());
        }
        String line = text.text();
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
        JavaPairRDD<Long, Line> source = numbered(lines(spark, sourcePath, options));
        JavaPairRDD<Long, Line> target = numbered(lines(spark, targetPath, options));
        long sourceLines = source.count();
        long targetLines = target.count();
        if (sourceLines != targetLines) {
            throw new CorpusException("Moses files are not line-aligned: " + sourcePath + " has " + sourceLines
                    + " lines, " + targetPath + " has " + targetLines);
        }
        JavaRDD<Row> rows = source.join(target).map(numberedPair -> {
            Tuple2<Line, Line> pair = numberedPair._2();
            return mosesPair(pair._1(), pair._2()).toRow(prefix, numberedPair._1());
        });
        return spark.createDataFrame(rows, RawPair.SCHEMA);
    }

    /** Line number → line; a single file's splits come in offset order. */
    private static JavaPairRDD<Long, Line> numbered(JavaRDD<Line> lines) {
        return lines.zipWithIndex().mapToPair(line -> new Tuple2<>(line._2(), line._1()));
    }

    /** Dropped for the first reason either side has (in {@link DropReason} order), else the two texts. */
    private static RawPair mosesPair(Line source, Line target) {
        DropReason sourceReason = source.unreadable();
        DropReason targetReason = target.unreadable();
        if (sourceReason == null && targetReason == null) {
            return RawPair.of(source.text(), target.text());
        }
        return RawPair.dropped(sourceReason == null || (targetReason != null && targetReason.compareTo(sourceReason) < 0)
                ? targetReason : sourceReason);
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
     * into U+FFFD. Hadoop's line reader strips {@code \n}, {@code \r\n} and {@code \r}; a line longer than
     * {@link IngestOptions#maxLineBytes()} is never held in memory.
     */
    private static JavaRDD<Line> lines(SparkSession spark, String path, IngestOptions options) {
        JobConf job = new JobConf(spark.sparkContext().hadoopConfiguration());
        FileInputFormat.setInputPaths(job, path);
        job.setInt(BoundedLineInputFormat.MAX_LINE_BYTES, options.maxLineBytes());
        JavaHadoopRDD<LongWritable, BoundedLine> file = (JavaHadoopRDD<LongWritable, BoundedLine>) context(spark)
                .hadoopRDD(job, BoundedLineInputFormat.class, LongWritable.class, BoundedLine.class);
        return file.mapPartitionsWithInputSplit((split, records) -> {
            String origin = ((FileSplit) split).getPath().toString();
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(records, Spliterator.ORDERED), false)
                    .map(record -> Line.of(origin, record._1().get(), record._2()))
                    .iterator();
        }, true);
    }

    private static JavaSparkContext context(SparkSession spark) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    /**
     * A line of a text file at byte {@code offset}: its text, or null and why it cannot be read (not UTF-8, or
     * too long to hold).
     */
    private record Line(String origin, long offset, String text, DropReason unreadable) implements Serializable {
        static Line of(String origin, long offset, BoundedLine line) {
            if (line.overLong()) {
                return new Line(origin, offset, null, DropReason.OVER_LONG);
            }
            Text bytes = line.bytes();
            String text = StrictDecoder.decode(bytes.getBytes(), 0, bytes.getLength(), StandardCharsets.UTF_8);
            return new Line(origin, offset, text, text == null ? DropReason.INVALID_UTF8 : null);
        }
    }
}
