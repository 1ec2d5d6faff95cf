package dev.fulcrum.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values agree with sacreBLEU 2.6.0's CHRF().corpus_score(hyps, [refs]). */
class ChrFTest {

    private static final double TOLERANCE = 0.01;

    private static final List<String> README_SYSTEM =
            List.of("The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
    private static final List<String> README_REFERENCES_2 =
            List.of("The dog had bit the man.", "No one was surprised.", "The man had bitten the dog.");

    @Test
    void identicalSegmentsScore100() {
        List<String> segment = List.of("the cat sat on the mat");

        assertEquals(100.0, ChrF.score(segment, segment), TOLERANCE);
    }

    @Test
    void emptyHypothesisScoresZero() {
        assertEquals(0.0, ChrF.score(List.of(""), List.of("the cat sat on the mat")), TOLERANCE);
    }

    @Test
    void ordersWithoutHypothesisNgramsAreLeftOutOfTheAverage() {
        // 1-grams: precision 2/2, recall 2/3. 2-grams: "ab" -> precision 1/1, recall 1/2.
        // Orders 3..6 have no hypothesis n-grams, so the effective order is 2:
        // P = 1, R = (2/3 + 1/2) / 2 = 7/12, chrF2 = 5PR / (4P + R) = (35/12) / (55/12) = 7/11.
        assertEquals(63.64, ChrF.score(List.of("ab"), List.of("abc")), TOLERANCE);
    }

    @Test
    void whitespaceIsIgnored() {
        assertEquals(100.0, ChrF.score(List.of("a b c"), List.of("abc")), TOLERANCE);
    }

    @Test
    void corpusScoreComesFromSummedStatisticsNotFromAveragedSegmentScores() {
        // Segment scores are 63.64 ("ab"/"abc") and 42.28 ("thecat"/"acat"); their mean would be 52.96.
        // Summed [hyp, ref, match] per order: [8,7,5] [6,5,3] [4,3,1] [3,1,0] and nothing above order 4:
        // P = (5/8 + 3/6 + 1/4 + 0) / 4 = 0.34375, R = (5/7 + 3/5 + 1/3 + 0) / 4 = 0.41190,
        // chrF2 = 5PR / (4P + R) = 0.39619.
        assertEquals(39.62, ChrF.score(List.of("ab", "the cat"), List.of("abc", "a cat")), TOLERANCE);
    }

    @Test
    void readmeSystemAgainstSecondReferenceStream() {
        assertEquals(51.70, ChrF.score(README_SYSTEM, README_REFERENCES_2), TOLERANCE);
    }

    @Test
    void countsCodePointsNotUtf16Units() {
        // The emoji is one character to sacreBLEU (Python), two chars to Java.
        assertEquals(75.66, ChrF.score(List.of("na\u00efve caf\u00e9 \ud83d\ude00 rocks"),
                List.of("naive caf\u00e9 \ud83d\ude00 rock")), TOLERANCE);
    }

    @Test
    void mergedShardsGiveTheWholeCorpusScore() {
        ChrF firstShard = new ChrF().add(README_SYSTEM.get(0), README_REFERENCES_2.get(0));
        ChrF secondShard = new ChrF()
                .add(README_SYSTEM.get(1), README_REFERENCES_2.get(1))
                .add(README_SYSTEM.get(2), README_REFERENCES_2.get(2));

        assertEquals(ChrF.score(README_SYSTEM, README_REFERENCES_2), firstShard.merge(secondShard).result());
    }

    @Test
    void statisticsSurviveJavaSerialization() throws IOException, ClassNotFoundException {
        ChrF chrF = new ChrF().add("ab", "abc").add("the cat", "a cat");

        assertEquals(chrF.result(), CorpusBleuTest.roundTrip(chrF).result());
    }

    @Test
    void rejectsUnequalNumbersOfHypothesesAndReferences() {
        assertThrows(IllegalArgumentException.class, () -> ChrF.score(List.of(), List.of("a")));
    }
}
