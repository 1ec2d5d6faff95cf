package dev.fulcrum.driver.ingest;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.JobConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line reader alone: memory held per line, and every line owned by exactly one split. */
class BoundedLineReaderTest {
    private static final int LIMIT = 100;

    @TempDir
    java.nio.file.Path dir;

    @Test
    void aLongLineIsNeverHeldAndKeepsItsPlace() throws IOException {
        String text = "\uFEFFfirst\n" + "x".repeat(8 << 20) + "\r\n" + "y".repeat(LIMIT) + "\nlast";
        java.nio.file.Path file = write(text);
        BoundedLineReader reader = new BoundedLineReader(new JobConf(), split(file, 0, Files.size(file)), LIMIT);
        LongWritable offset = reader.createKey();
        BoundedLine line = reader.createValue();
        List<String> lines = new ArrayList<>();
        int largestBuffer = 0;
        while (reader.next(offset, line)) {
            lines.add(line.overLong() ? "<over-long>" : line.bytes().toString());
            largestBuffer = Math.max(largestBuffer, line.bytes().getBytes().length);
        }
        reader.close();
        assertEquals(List.of("first", "<over-long>", "y".repeat(LIMIT), "last"), lines,
                "byte-order mark removed; a line of exactly the limit is kept");
        assertTrue(largestBuffer < 4 * LIMIT, "an 8 MB line was held in a buffer of " + largestBuffer + " bytes");
    }

    @Test
    void splitsTogetherReadEveryLineOnce() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            text.append(i % 7 == 0 ? "z".repeat(LIMIT + 1 + i) : "line " + i).append('\n');
        }
        java.nio.file.Path file = write(text.toString());
        long size = Files.size(file);
        for (long splitSize : new long[] {1, 13, 250, 4096, size}) {
            List<String> lines = new ArrayList<>();
            for (long start = 0; start < size; start += splitSize) {
                lines.addAll(read(file, start, Math.min(splitSize, size - start)));
            }
            assertEquals(500, lines.size(), "split size " + splitSize);
            assertEquals("line 1", lines.get(1));
            assertEquals("<over-long>", lines.get(7));
            assertEquals("line 499", lines.get(499));
        }
    }

    private List<String> read(java.nio.file.Path file, long start, long length) throws IOException {
        BoundedLineReader reader = new BoundedLineReader(new JobConf(), split(file, start, length), LIMIT);
        LongWritable offset = reader.createKey();
        BoundedLine line = reader.createValue();
        List<String> lines = new ArrayList<>();
        while (reader.next(offset, line)) {
            lines.add(line.overLong() ? "<over-long>" : line.bytes().toString());
        }
        reader.close();
        return lines;
    }

    private java.nio.file.Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("lines.txt"), text, StandardCharsets.UTF_8);
    }

    private static FileSplit split(java.nio.file.Path file, long start, long length) {
        return new FileSplit(new Path(file.toUri()), start, length, (String[]) null);
    }
}
