package dev.fulcrum.driver.ingest;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.RecordReader;
import org.apache.hadoop.mapred.Reporter;

import java.io.IOException;

/**
 * Text lines, each at most {@link #MAX_LINE_BYTES} long in memory: a longer line is read past, not stored, and
 * comes out as an over-long record, so that a single line of hundreds of MB is a counted drop instead of an
 * executor out of memory, and a Moses file keeps its line numbers. (Hadoop's own limit,
 * {@code mapreduce.input.linerecordreader.line.maxlength}, drops such lines without a trace.) Splits and
 * compression are handled as by Hadoop's {@code TextInputFormat}.
 */
final class BoundedLineInputFormat extends FileInputFormat<LongWritable, BoundedLine> {
    /** Job property: the longest line, in bytes, kept in memory. */
    static final String MAX_LINE_BYTES = "fulcrum.ingest.maxLineBytes";

    @Override
    protected boolean isSplitable(FileSystem fs, Path file) {
        // A compressed stream can only be read from its start (bzip2 could be split; not worth a special case).
        return new CompressionCodecFactory(fs.getConf()).getCodec(file) == null;
    }

    @Override
    public RecordReader<LongWritable, BoundedLine> getRecordReader(InputSplit split, JobConf job, Reporter reporter)
            throws IOException {
        int maxLineBytes = job.getInt(MAX_LINE_BYTES, -1);
        if (maxLineBytes < 1) {
            throw new IllegalStateException(MAX_LINE_BYTES + " is not set");
        }
        reporter.setStatus(split.toString());
        return new BoundedLineReader(job, (FileSplit) split, maxLineBytes);
    }
}
