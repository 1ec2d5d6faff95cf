package dev.fulcrum.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.model.eval.AttentionMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttentionMapFileTest {
    @TempDir
    Path directory;

    /** Source "▁Le <eos>" (2), target "<bos> ▁The ▁file" (3), one head per layer, weights with many digits. */
    private static AttentionMap map() {
        Map<String, float[][][]> layers = new LinkedHashMap<>();
        layers.put("enc0.self", new float[][][] {{{0.25f, 0.75f}, {1f / 3, 2f / 3}}});
        layers.put("dec0.self", new float[][][] {{{1f, 0f, 0f}, {0.1f, 0.9f, 0f}, {1e-7f, 0.3f, 0.6999999f}}});
        layers.put("dec0.cross", new float[][][] {{{0.5f, 0.5f}, {0.123456789f, 0.876543211f}, {0f, 1f}},
            {{1f, 0f}, {0f, 1f}, {0.5f, 0.5f}}});
        return new AttentionMap(List.of("▁Le", "<eos>"), List.of("<bos>", "▁The", "▁file"), layers);
    }

    @Test
    void mapsSurviveWriteAndReadExactly() throws IOException {
        Path file = directory.resolve("attention.json");
        AttentionMapFile.write(List.of(map(), map()), file);
        List<AttentionMap> read = AttentionMapFile.read(file);

        assertEquals(2, read.size());
        AttentionMap expected = map();
        for (AttentionMap actual : read) {
            assertEquals(expected.sourceTokens(), actual.sourceTokens());
            assertEquals(expected.targetTokens(), actual.targetTokens());
            assertEquals(List.copyOf(expected.layers().keySet()), List.copyOf(actual.layers().keySet()));
            expected.layers().forEach((layer, heads) -> {
                for (int h = 0; h < heads.length; h++) {
                    for (int q = 0; q < heads[h].length; q++) {
                        assertArrayEquals(heads[h][q], actual.layers().get(layer)[h][q], 0f, layer);
                    }
                }
            });
        }
    }

    @Test
    void fileHasTheDocumentedLayout() throws IOException {
        Path file = directory.resolve("attention.json");
        AttentionMapFile.write(List.of(map()), file);
        JsonNode sentence = new ObjectMapper().readTree(file.toFile()).get("sentences").get(0);

        assertEquals("▁Le", sentence.get("source").get(0).asText());
        assertEquals("<bos>", sentence.get("target").get(0).asText());
        JsonNode cross = sentence.get("layers").get("dec0.cross");
        assertEquals(2, cross.size(), "heads");
        assertEquals(3, cross.get(0).size(), "query rows");
        assertEquals(2, cross.get(0).get(0).size(), "key columns");
        assertEquals(0.123456789f, cross.get(0).get(1).get(0).floatValue());
        assertEquals(1, Files.readAllLines(file).size(), "one line, not one number per line");
    }

    @Test
    void rejectsFilesThatDoNotFitTheirTokens() throws IOException {
        Path file = directory.resolve("attention.json");
        Files.writeString(file, "{\"sentences\":[{\"source\":[\"▁a\",\"<eos>\"],\"target\":[\"<bos>\"],"
                + "\"layers\":{\"enc0.self\":[[[1.0]]]}}]}");
        ModelFormatException shape = assertThrows(ModelFormatException.class, () -> AttentionMapFile.read(file));
        assertTrue(shape.problem().contains("enc0.self"), shape.problem());

        Files.writeString(file, "{\"sentences\":[{\"source\":[\"<eos>\"],\"target\":[\"<bos>\"],"
                + "\"layers\":{\"enc0.self\":[[[1.0]]]},\"extra\":1}]}");
        assertThrows(ModelFormatException.class, () -> AttentionMapFile.read(file));
        Files.writeString(file, "{\"sentences\":[{\"source\":[\"<eos>\"],\"target\":null,\"layers\":{}}]}");
        assertThrows(ModelFormatException.class, () -> AttentionMapFile.read(file));
    }
}
