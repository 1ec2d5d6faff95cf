package dev.fulcrum.driver.ingest;

import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A line of {@link BoundedLineInputFormat}: its bytes without the line terminator, or none when the line was
 * longer than the limit ({@link #overLong()}). Mutable and reused between records, as Hadoop's values are.
 */
final class BoundedLine implements Writable {
    private final Text bytes = new Text();
    private boolean overLong;

    Text bytes() {
        return bytes;
    }

    boolean overLong() {
        return overLong;
    }

    /** Marks the line read into {@link #bytes()} over-long when it holds more than {@code maxBytes}. */
    void limit(int maxBytes) {
        overLong = bytes.getLength() > maxBytes;
        if (overLong) {
            bytes.clear();
        }
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeBoolean(overLong);
        bytes.write(out);
    }

    @Override
    public void readFields(DataInput in) throws IOException {
        overLong = in.readBoolean();
        bytes.readFields(in);
    }
}
