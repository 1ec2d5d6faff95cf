package dev.fulcrum.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BpeTokenizerTest {

    private static final BpeModel MODEL =
            BpeLearner.learn(PreTokenizer.countWords(TestCorpora.repeatedSentences(5)), 700, 2);
    private static final BpeTokenizer TOKENIZER = new BpeTokenizer(MODEL);

    @Test
    void trainingTextRoundTrips() {
        for (String sentence : TestCorpora.SENTENCES) {
            assertEquals(sentence, TOKENIZER.decode(TOKENIZER.encode(sentence)));
        }
    }

    @Test
    void randomUnicodeRoundTripsToItsNormalForm() {
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            String text = RandomText.of(random, random.nextInt(40));
            String normalized = PreTokenizer.normalize(text);
            assertEquals(normalized, PreTokenizer.normalize(normalized), "normalize is idempotent");
            assertEquals(normalized, TOKENIZER.decode(TOKENIZER.encode(text)), () -> "text: " + codePoints(text));
        }
    }

    @Test
    void unseenCharactersFallBackToTheirUtf8Bytes() {
        String unseen = "漢😀";
        int[] ids = TOKENIZER.encode(unseen);
        int[] expected = IntStream.concat(IntStream.of(TOKENIZER.vocabulary().id("▁")),
                bytesOf(unseen).map(Vocabulary::byteId)).toArray();
        assertArrayEquals(expected, ids);
        assertEquals(unseen, TOKENIZER.decode(ids));
    }

    @Test
    void literalMarkerCharactersSurvive() {
        for (String text : List.of("▁", "a▁b", "▁▁ x▁", "▁.▁")) {
            assertEquals(text, TOKENIZER.decode(TOKENIZER.encode(text)));
        }
    }

    @Test
    void frequentWordsBecomeSingleTokens() {
        assertEquals(1, TOKENIZER.encode("fichier").length);
        assertEquals(List.of("▁fichier", "▁sélectionné"), tokens(TOKENIZER.encode("fichier sélectionné")));
    }

    @Test
    void decodeSkipsPadBosAndEosAndShowsUnk() {
        int[] ids = TOKENIZER.encode("Le fichier");
        int[] framed = IntStream.concat(IntStream.concat(IntStream.of(Vocabulary.BOS), IntStream.of(ids)),
                IntStream.of(Vocabulary.EOS, Vocabulary.PAD, Vocabulary.PAD)).toArray();
        assertEquals("Le fichier", TOKENIZER.decode(framed));
        assertEquals("\u2047", TOKENIZER.decode(new int[] {Vocabulary.UNK}));
    }

    @Test
    void emptyAndBlankTextEncodeToNothing() {
        assertEquals(0, TOKENIZER.encode("").length);
        assertEquals(0, TOKENIZER.encode(" \t\n").length);
        assertEquals("", TOKENIZER.decode(new int[0]));
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        assertThrows(IllegalArgumentException.class, () -> TOKENIZER.decode(new int[] {700}));
        assertThrows(IllegalArgumentException.class, () -> TOKENIZER.decode(new int[] {-1}));
    }

    @Test
    void concurrentEncodingAgreesWithSequential() {
        BpeTokenizer fresh = new BpeTokenizer(MODEL);
        List<String> texts = TestCorpora.repeatedSentences(50);
        List<List<Integer>> parallel = texts.parallelStream().map(fresh::encode).map(BpeTokenizerTest::boxed)
                .collect(Collectors.toList());
        List<List<Integer>> sequential = texts.stream().map(TOKENIZER::encode).map(BpeTokenizerTest::boxed)
                .collect(Collectors.toList());
        assertEquals(sequential, parallel);
    }

    private static List<String> tokens(int[] ids) {
        return IntStream.of(ids).mapToObj(TOKENIZER.vocabulary()::token).collect(Collectors.toList());
    }

    private static List<Integer> boxed(int[] ids) {
        return IntStream.of(ids).boxed().collect(Collectors.toList());
    }

    private static IntStream bytesOf(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return IntStream.range(0, bytes.length).map(i -> Byte.toUnsignedInt(bytes[i]));
    }

    private static String codePoints(String text) {
        return text.codePoints().mapToObj(Integer::toHexString).collect(Collectors.joining(" "));
    }
}
