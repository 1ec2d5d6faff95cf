package dev.fulcrum.model.text;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON file of a {@link BpeModel}, one token or merge per line:
 * <pre>
 * {
 *   "format" : "fulcrum-bpe",
 *   "version" : 1,
 *   "specials" : { "&lt;pad&gt;" : 0, "&lt;bos&gt;" : 1, "&lt;eos&gt;" : 2, "&lt;unk&gt;" : 3 },
 *   "tokens" : [ every token in id order: specials, &lt;0x00&gt;..&lt;0xFF&gt;, "▁", characters, merged tokens ],
 *   "merges" : [ "left right", ... in rank order ]
 * }
 * </pre>
 * Tokens never contain a space (words have none), so one space separates a merge's two tokens.
 */
final class BpeModelFile {

    static final String FORMAT = "fulcrum-bpe";
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DefaultPrettyPrinter ONE_ITEM_PER_LINE =
            new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);

    private BpeModelFile() {
    }

    static void write(BpeModel model, Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ObjectNode specials = root.putObject("specials");
        for (int id = 0; id < Vocabulary.SPECIAL_TOKENS.size(); id++) {
            specials.put(Vocabulary.SPECIAL_TOKENS.get(id), id);
        }
        ArrayNode tokens = root.putArray("tokens");
        model.vocabulary().tokens().forEach(tokens::add);
        ArrayNode merges = root.putArray("merges");
        model.merges().forEach(merge -> merges.add(merge.left() + " " + merge.right()));
        JSON.writer(ONE_ITEM_PER_LINE).writeValue(file.toFile(), root);
    }

    static BpeModel read(Path file) throws IOException {
        try {
            return parse(readJson(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a usable BPE model file: " + e.getMessage(), e);
        }
    }

    private static JsonNode readJson(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readTree(in);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            throw new IllegalArgumentException("not valid JSON" + at + ": " + e.getOriginalMessage(), e);
        } catch (CharConversionException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
    }

    private static BpeModel parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        String format = field(root, "format").asText();
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("format is '" + format + "', expected '" + FORMAT + "'");
        }
        JsonNode version = field(root, "version");
        if (!version.isInt() || version.intValue() != VERSION) {
            throw new IllegalArgumentException("version " + version + " is not supported, expected " + VERSION);
        }
        requireSpecials(field(root, "specials"));
        Vocabulary vocabulary = Vocabulary.fromTokens(strings(root, "tokens"));
        return new BpeModel(vocabulary, merges(strings(root, "merges")));
    }

    private static void requireSpecials(JsonNode specials) {
        for (int id = 0; id < Vocabulary.SPECIAL_TOKENS.size(); id++) {
            JsonNode actual = specials.get(Vocabulary.SPECIAL_TOKENS.get(id));
            if (actual == null || !actual.isInt() || actual.intValue() != id) {
                throw new IllegalArgumentException("specials must map " + Vocabulary.SPECIAL_TOKENS
                        + " to ids 0..3, found " + specials);
            }
        }
    }

    private static List<Merge> merges(List<String> lines) {
        List<Merge> merges = new ArrayList<>(lines.size());
        for (String line : lines) {
            int space = line.indexOf(' ');
            if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
                throw new IllegalArgumentException("merge '" + line + "' is not two tokens separated by one space");
            }
            merges.add(new Merge(line.substring(0, space), line.substring(space + 1)));
        }
        return merges;
    }

    private static List<String> strings(JsonNode root, String name) {
        JsonNode array = field(root, name);
        if (!array.isArray()) {
            throw new IllegalArgumentException("'" + name + "' must be an array");
        }
        List<String> strings = new ArrayList<>(array.size());
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("'" + name + "' must hold only strings, found " + item);
            }
            strings.add(item.textValue());
        }
        return strings;
    }

    private static JsonNode field(JsonNode root, String name) {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return value;
    }
}
