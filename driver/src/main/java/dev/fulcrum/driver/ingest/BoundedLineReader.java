package dev.fulcrum.driver.ingest;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.RecordReader;
import org.apache.hadoop.util.LineReader;

import java.io.IOException;

/**
 * The lines of one split, keyed by their byte offset. As in Hadoop's {@code LineRecordReader}, a split owns every
 * line that starts at or before its end, so a split that does not start the file skips its first, partial line
 * (the previous split read it whole); a UTF-8 byte-order mark at the start of a file is removed.
 */
final class BoundedLineReader implements RecordReader<LongWritable, BoundedLine> {
    private static final int CONSUME_WHOLE_LINE = Integer.MAX_VALUE;

    private final LineReader in;
    private final int maxLineBytes;
    private final long start;
    private final long end;
    private long position;

    BoundedLineReader(JobConf job, FileSplit split, int maxLineBytes) throws IOException {
        Path file = split.getPath();
        FSDataInputStream stream = file.getFileSystem(job).open(file);
        CompressionCodec codec = new CompressionCodecFactory(job).getCodec(file);
        this.maxLineBytes = maxLineBytes;
        if (codec != null) {
            in = new LineReader(codec.createInputStream(stream), job);
            start = 0;
            end = Long.MAX_VALUE;
        } else {
            stream.seek(split.getStart());
            in = new LineReader(stream, job);
            start = split.getStart();
            end = start + split.getLength();
        }
        position = start;
        if (start != 0) {
            position += in.readLine(new Text(), 0, CONSUME_WHOLE_LINE);
        }
    }

    @Override
    public boolean next(LongWritable offset, BoundedLine line) throws IOException {
        if (position > end) {
            return false;
        }
        offset.set(position);
        // One byte more than the limit is stored, so that a line of exactly the limit is told from a longer one.
        int consumed = in.readLine(line.bytes(), maxLineBytes + 1, CONSUME_WHOLE_LINE);
        if (consumed == 0) {
            return false;
        }
        line.limit(maxLineBytes);
        if (position == 0) {
            removeByteOrderMark(line.bytes());
        }
        position += consumed;
        return true;
    }

    private static void removeByteOrderMark(Text text) {
        byte[] bytes = text.getBytes();
        if (text.getLength() >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) {
            text.set(bytes, 3, text.getLength() - 3);
        }
    }

    @Override
    public LongWritable createKey() {
        return new LongWritable();
    }

    @Override
    public BoundedLine createValue() {
        return new BoundedLine();
    }

    @Override
    public long getPos() {
        return position;
    }

    @Override
    public float getProgress() {
        return end == Long.MAX_VALUE || end == start ? 0f : Math.min(1f, (position - start) / (float) (end - start));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
