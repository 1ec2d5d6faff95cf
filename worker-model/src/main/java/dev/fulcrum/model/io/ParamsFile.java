package dev.fulcrum.model.io;

import static dev.fulcrum.model.io.ModelLayout.FORMAT_VERSION;
import static dev.fulcrum.model.io.ModelLayout.MODEL;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * params.bin: the flat parameter vector as raw little-endian values after a fixed header
 * <pre>
 * "FULCRUM-PARAMS\n"   15 ASCII bytes
 * format version       int32
 * element type         int32: 1 = float32, 2 = float64
 * element count        int64
 * values               count × 4 or 8 bytes
 * </pre>
 */
final class ParamsFile {
    private static final byte[] MAGIC = "FULCRUM-PARAMS\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = MAGIC.length + Integer.BYTES + Integer.BYTES + Long.BYTES;
    /** Values moved between the array and the channel at a time: bounds the heap used beside the array. */
    private static final int CHUNK = 1 << 16;

    /** The element types a parameter file can hold, by their code in the header. */
    private enum ElementType {
        FLOAT32(1, DataType.FLOAT, Float.BYTES) {
            @Override
            void put(INDArray values, ByteBuffer buffer) {
                float[] array = values.toFloatVector();
                for (float value : array) {
                    requireFinite(value);
                }
                buffer.asFloatBuffer().put(array);
                buffer.position(buffer.position() + array.length * width);
            }

            @Override
            INDArray take(ByteBuffer buffer, int count) {
                float[] array = new float[count];
                buffer.asFloatBuffer().get(array);
                return Nd4j.createFromArray(array);
            }
        },
        FLOAT64(2, DataType.DOUBLE, Double.BYTES) {
            @Override
            void put(INDArray values, ByteBuffer buffer) {
                double[] array = values.toDoubleVector();
                for (double value : array) {
                    requireFinite(value);
                }
                buffer.asDoubleBuffer().put(array);
                buffer.position(buffer.position() + array.length * width);
            }

            @Override
            INDArray take(ByteBuffer buffer, int count) {
                double[] array = new double[count];
                buffer.asDoubleBuffer().get(array);
                return Nd4j.createFromArray(array);
            }
        };

        final int code;
        final DataType dataType;
        final int width;

        ElementType(int code, DataType dataType, int width) {
            this.code = code;
            this.dataType = dataType;
            this.width = width;
        }

        abstract void put(INDArray values, ByteBuffer buffer);

        abstract INDArray take(ByteBuffer buffer, int count);

        /** A model or checkpoint with a NaN or infinity is worse than none: its writer fails, the old one stays. */
        static void requireFinite(double value) {
            if (!Double.isFinite(value)) {
                throw new NonFiniteValueException(value);
            }
        }

        static ElementType of(DataType dataType) {
            return Arrays.stream(values()).filter(t -> t.dataType == dataType).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("parameters of type " + dataType
                            + " cannot be stored; supported are " + DataType.FLOAT + " and " + DataType.DOUBLE));
        }
    }

    private ParamsFile() {
    }

    static boolean supports(DataType dataType) {
        return Arrays.stream(ElementType.values()).anyMatch(t -> t.dataType == dataType);
    }

    static void write(INDArray flat, Path file) throws IOException {
        ElementType type = ElementType.of(flat.dataType());
        long count = flat.length();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(channel, header(type, count));
            ByteBuffer buffer = newBuffer(type);
            for (long start = 0; start < count; start += CHUNK) {
                buffer.clear();
                type.put(slice(flat, start, Math.min(count, start + CHUNK)), buffer);
                writeFully(channel, buffer.flip());
            }
        }
    }

    /**
     * Checks the header and size of the file against a model of {@code count} values of {@code dataType}, before
     * anything of that size is allocated.
     *
     * @throws ModelFormatException if the header is not ours, or type, count or size do not match
     */
    static void requireShape(Path file, DataType dataType, long count) throws IOException {
        ElementType type = ElementType.of(dataType);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            requireHeader(file, readFully(file, channel, ByteBuffer.allocate(HEADER_BYTES)), type, count);
            requireSize(file, channel.size(), type, count);
        }
    }

    /**
     * Reads the file into {@code flat}, whose type and length are those of the model the file must belong to.
     *
     * @throws ModelFormatException if the header is not ours, or type, count or size do not match
     */
    static void read(Path file, INDArray flat) throws IOException {
        ElementType type = ElementType.of(flat.dataType());
        long count = flat.length();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            requireHeader(file, readFully(file, channel, ByteBuffer.allocate(HEADER_BYTES)), type, count);
            requireSize(file, channel.size(), type, count);
            ByteBuffer buffer = newBuffer(type);
            for (long start = 0; start < count; start += CHUNK) {
                int chunk = (int) Math.min(CHUNK, count - start);
                buffer.clear().limit(chunk * type.width);
                readFully(file, channel, buffer);
                slice(flat, start, start + chunk).assign(type.take(buffer, chunk));
            }
        }
    }

    private static ByteBuffer header(ElementType type, long count) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putInt(FORMAT_VERSION).putInt(type.code).putLong(count);
        return header.flip();
    }

    private static void requireHeader(Path file, ByteBuffer header, ElementType expectedType, long expectedCount)
            throws ModelFormatException {
        byte[] magic = new byte[MAGIC.length];
        header.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new ModelFormatException(file, "does not start with FULCRUM-PARAMS: not a Fulcrum parameter file");
        }
        ModelLayout.requireVersion(file, header.getInt());
        int typeCode = header.getInt();
        if (typeCode != expectedType.code) {
            throw new ModelFormatException(file, "element type code is " + typeCode + ", " + MODEL + " says "
                    + expectedType.dataType + " (code " + expectedType.code + ")");
        }
        long count = header.getLong();
        if (count != expectedCount) {
            throw new ModelFormatException(file, "holds " + count + " parameters, the model described by " + MODEL
                    + " has " + expectedCount);
        }
    }

    private static void requireSize(Path file, long size, ElementType type, long count) throws ModelFormatException {
        long expected = HEADER_BYTES + count * type.width;
        if (size != expected) {
            throw new ModelFormatException(file, "has " + size + " bytes, a header and " + count + " values of "
                    + type.width + " bytes make " + expected);
        }
    }

    private static ByteBuffer newBuffer(ElementType type) {
        return ByteBuffer.allocateDirect(CHUNK * type.width).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static INDArray slice(INDArray flat, long start, long end) {
        return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(start, end));
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new ModelFormatException(file, "ends after " + channel.position() + " bytes: truncated");
            }
        }
        return buffer.flip().order(ByteOrder.LITTLE_ENDIAN);
    }
}
