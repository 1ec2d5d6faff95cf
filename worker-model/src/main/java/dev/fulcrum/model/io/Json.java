package dev.fulcrum.model.io;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON files of a model: records written indented, read strictly (no unknown, missing or null fields). */
final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    static void write(Object value, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), value);
    }

    /** On one line: for files of many numbers, which indented output would put one per line. */
    static void writeCompact(Object value, Path file) throws IOException {
        try (java.io.OutputStream out = SafeFiles.newOutputStream(file)) {
            MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValue(out, value);
        }
    }

    /** @param what what the file should hold, for the error message */
    static <T> T read(Path file, Class<T> type, String what) throws IOException {
        return parse(file, what, in -> MAPPER.readValue(in, type));
    }

    /** The file as a tree, for a reader that must bring an older layout up to date before binding it. */
    static JsonNode readTree(Path file, String what) throws IOException {
        return parse(file, what, MAPPER::readTree);
    }

    /** Binds a tree read by {@link #readTree} as strictly as {@link #read} binds a file. */
    static <T> T bind(JsonNode tree, Class<T> type, Path file, String what) throws ModelFormatException {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file, "is not " + what + ": " + e.getOriginalMessage(), e);
        }
    }

    private interface Parser<T> {
        T parse(InputStream in) throws IOException;
    }

    private static <T> T parse(Path file, String what, Parser<T> parser) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parser.parse(in);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file, "is not " + what + ": " + e.getOriginalMessage(), e);
        } catch (CharConversionException e) {
            throw new ModelFormatException(file, "is not " + what + ": " + e.getMessage(), e);
        }
    }
}
