package dev.fulcrum.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values agree with sacreBLEU 2.6.0's corpus_score(hyps, [refs]) with default settings. */
class CorpusBleuTest {

    private static final double TOLERANCE = 0.01;

    // Stream 1 and 2 of the sacreBLEU README example, each used alone as the single reference.
    private static final List<String> README_SYSTEM =
            List.of("The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
    private static final List<String> README_REFERENCES_1 =
            List.of("The dog bit the man.", "It was not unexpected.", "The man bit him first.");
    private static final List<String> README_REFERENCES_2 =
            List.of("The dog had bit the man.", "No one was surprised.", "The man had bitten the dog.");

    @Test
    void identicalSegmentsScore100() {
        BleuScore bleu = CorpusBleu.score(List.of("the cat sat on the mat"), List.of("the cat sat on the mat"));

        assertEquals(100.0, bleu.score(), TOLERANCE);
        assertEquals(1.0, bleu.brevityPenalty(), 1e-9);
    }

    @Test
    void emptyHypothesisScoresZeroWithZeroBrevityPenalty() {
        BleuScore bleu = CorpusBleu.score(List.of(""), List.of("the cat sat on the mat"));

        assertEquals(new BleuScore(0.0, List.of(0.0, 0.0, 0.0, 0.0), 0.0, 0, 6), bleu);
    }

    @Test
    void repeatedWordIsClippedAndMissingOrdersAreExpSmoothed() {
        // Unigrams: "the" x4, the reference has 2 -> 2/4 = 50%.
        // No 2-, 3-, 4-gram matches out of 3, 2, 1: exp smoothing gives 100/(2*3), 100/(4*2), 100/(8*1).
        // BP = exp(1 - 6/4) = 0.60653; BLEU = 0.60653 * (50 * 16.667 * 12.5 * 12.5)^(1/4) = 0.60653 * 18.996.
        BleuScore bleu = CorpusBleu.score(List.of("the the the the"), List.of("the cat is on the mat"));

        assertEquals(11.52, bleu.score(), TOLERANCE);
        assertPrecisions(bleu, 50.0, 16.67, 12.5, 12.5);
        assertEquals(0.6065, bleu.brevityPenalty(), 1e-4);
        assertEquals(4, bleu.systemLength());
        assertEquals(6, bleu.referenceLength());
    }

    @Test
    void oneSubstitutedWord() {
        // Matches: 5/6 unigrams ("the" twice, cat, on, mat), 3/5 bigrams (the cat, on the, the mat),
        // 1/4 trigrams (on the mat), 0/3 4-grams -> 100/(2*3). BLEU = (83.33 * 60 * 25 * 16.67)^(1/4).
        BleuScore bleu = CorpusBleu.score(List.of("the cat sat on the mat"), List.of("the cat is on the mat"));

        assertEquals(37.99, bleu.score(), TOLERANCE);
        assertPrecisions(bleu, 83.33, 60.0, 25.0, 16.67);
    }

    @Test
    void corpusShorterThanFourTokensScoresZeroEvenWhenIdentical() {
        // No 2-gram exists at all, so sacreBLEU leaves precisions 2..4 at 0 and log(0) zeroes the score.
        BleuScore bleu = CorpusBleu.score(List.of("cat"), List.of("cat"));

        assertEquals(0.0, bleu.score(), TOLERANCE);
        assertPrecisions(bleu, 100.0, 0.0, 0.0, 0.0);
    }

    @Test
    void readmeSystemAgainstFirstReferenceStream() {
        BleuScore bleu = CorpusBleu.score(README_SYSTEM, README_REFERENCES_1);

        assertEquals(45.07, bleu.score(), TOLERANCE);
        assertPrecisions(bleu, 70.59, 42.86, 36.36, 37.5);
        assertEquals(17, bleu.systemLength());
        assertEquals(17, bleu.referenceLength());
    }

    @Test
    void readmeSystemAgainstSecondReferenceStreamPaysBrevityPenalty() {
        BleuScore bleu = CorpusBleu.score(README_SYSTEM, README_REFERENCES_2);

        assertEquals(28.33, bleu.score(), TOLERANCE);
        assertPrecisions(bleu, 70.59, 42.86, 27.27, 12.5);
        assertEquals(0.8890, bleu.brevityPenalty(), 1e-4);
        assertEquals(17, bleu.systemLength());
        assertEquals(19, bleu.referenceLength());
    }

    @Test
    void numbersAndPunctuationAreTokenizedWith13a() {
        BleuScore bleu = CorpusBleu.score(
                List.of("The price rose to 1,000.5 dollars - a record (again)!", "Profits fell 3.5% in 2020-2021."),
                List.of("The price rose to 1,000.50 dollars, a record again!", "Profits fell by 3.5% in 2020-2021."));

        assertEquals(48.36, bleu.score(), TOLERANCE);
        assertPrecisions(bleu, 81.82, 55.0, 38.89, 31.25);
        assertEquals(22, bleu.systemLength());
        assertEquals(21, bleu.referenceLength());
    }

    @Test
    void trailingWhitespaceIsStrippedBeforeTokenizing() {
        // Stripped first, "four-\n" stays "four-" instead of losing its hyphen to the line-break rule.
        assertEquals(100.0, CorpusBleu.score(List.of("one two three four-\n"), List.of("one two three four-")).score(),
                TOLERANCE);
        assertEquals(59.46, CorpusBleu.score(List.of("one two three four-\n"), List.of("one two three four")).score(),
                TOLERANCE);
    }

    @Test
    void mergedShardsGiveTheWholeCorpusScore() {
        CorpusBleu firstShard = new CorpusBleu().add(README_SYSTEM.get(0), README_REFERENCES_2.get(0));
        CorpusBleu secondShard = new CorpusBleu()
                .add(README_SYSTEM.get(1), README_REFERENCES_2.get(1))
                .add(README_SYSTEM.get(2), README_REFERENCES_2.get(2));

        assertEquals(CorpusBleu.score(README_SYSTEM, README_REFERENCES_2), firstShard.merge(secondShard).result());
    }

    @Test
    void statisticsSurviveJavaSerialization() throws IOException, ClassNotFoundException {
        CorpusBleu bleu = new CorpusBleu();
        for (int line = 0; line < README_SYSTEM.size(); line++) {
            bleu.add(README_SYSTEM.get(line), README_REFERENCES_1.get(line));
        }

        assertEquals(bleu.result(), roundTrip(bleu).result());
    }

    @Test
    void rejectsUnequalNumbersOfHypothesesAndReferences() {
        assertThrows(IllegalArgumentException.class, () -> CorpusBleu.score(List.of("a"), List.of()));
    }

    private static void assertPrecisions(BleuScore bleu, double... expected) {
        assertEquals(expected.length, bleu.precisions().size());
        for (int order = 0; order < expected.length; order++) {
            assertEquals(expected[order], bleu.precisions().get(order), TOLERANCE, "precision of order " + (order + 1));
        }
    }

    static <T> T roundTrip(T object) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            T copy = (T) in.readObject();
            return copy;
        }
    }
}
