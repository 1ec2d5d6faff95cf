package dev.fulcrum.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BpeModelFileTest {

    private static final BpeModel MODEL =
            BpeLearner.learn(PreTokenizer.countWords(TestCorpora.repeatedSentences(5)), 500, 2);

    @TempDir
    Path directory;

    @Test
    void loadedModelEqualsAndEncodesLikeTheSavedOne() throws IOException {
        Path file = directory.resolve("vocab.json");
        MODEL.save(file);
        BpeModel loaded = BpeModel.load(file);
        assertEquals(MODEL, loaded);
        BpeTokenizer original = new BpeTokenizer(MODEL);
        BpeTokenizer reloaded = new BpeTokenizer(loaded);
        Random random = new Random(1);
        for (int i = 0; i < 500; i++) {
            String text = i < TestCorpora.SENTENCES.size() ? TestCorpora.SENTENCES.get(i) : RandomText.of(random, 30);
            assertArrayEquals(original.encode(text), reloaded.encode(text));
        }
    }

    @Test
    void fileIsReadableJsonWithOneMergePerLine() throws IOException {
        Path file = directory.resolve("vocab.json");
        MODEL.save(file);
        String json = Files.readString(file);
        assertTrue(json.contains("\"format\" : \"fulcrum-bpe\""), json);
        Merge first = MODEL.merges().get(0);
        assertTrue(json.contains("\n    \"" + first.left() + " " + first.right() + "\""), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json at all",
        "[1, 2, 3]",
        "{\"name\": \"some other tool's config\"}",
        "{\"format\": \"fulcrum-bpe\", \"version\": 2}",
        "{\"format\": \"fulcrum-bpe\", \"version\": 1, \"specials\": {}, \"tokens\": [], \"merges\": []}",
    })
    void foreignOrDamagedContentIsRejectedNamingTheFile(String content) throws IOException {
        assertRejected(Files.writeString(directory.resolve("bad.json"), content));
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        Path file = directory.resolve("vocab.json");
        MODEL.save(file);
        byte[] bytes = Files.readAllBytes(file);
        assertRejected(Files.write(file, Arrays.copyOf(bytes, bytes.length / 2)));
    }

    @Test
    void binaryGarbageIsRejected() throws IOException {
        byte[] garbage = new byte[4096];
        new Random(3).nextBytes(garbage);
        assertRejected(Files.write(directory.resolve("vocab.json"), garbage));
    }

    @Test
    void mergeOfUnknownTokensIsRejected() throws IOException {
        Path file = directory.resolve("vocab.json");
        MODEL.save(file);
        String json = Files.readString(file);
        Merge first = MODEL.merges().get(0);
        String damaged = json.replace("\"" + first.left() + " " + first.right() + "\"", "\"zz qq\"");
        assertRejected(Files.writeString(file, damaged));
    }

    @Test
    void nonStringTokenIsRejected() throws IOException {
        Path file = directory.resolve("vocab.json");
        MODEL.save(file);
        String damaged = Files.readString(file).replace("\"<0x41>\"", "65");
        assertRejected(Files.writeString(file, damaged, StandardCharsets.UTF_8));
    }

    private static void assertRejected(Path file) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> BpeModel.load(file));
        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
    }
}
