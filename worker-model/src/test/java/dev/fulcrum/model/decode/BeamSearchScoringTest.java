package dev.fulcrum.model.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;

import dev.fulcrum.model.config.ConfigException;
import dev.fulcrum.model.text.Vocabulary;
import org.junit.jupiter.api.Test;

/**
 * The search's parts that need no model: options, GNMT scores, top-k selection, and one sentence's beam on
 * made-up decoder outputs.
 */
class BeamSearchScoringTest {
    private static final int VOCABULARY = 8;
    private static final float UNLIKELY = -30f;

    @Test
    void optionsAreValidatedByKey() {
        assertEquals("decode.beam", assertThrows(ConfigException.class,
                () -> new DecodeOptions(0, 0.6, 0, 2, 10)).key());
        assertEquals("decode.lengthPenalty", assertThrows(ConfigException.class,
                () -> new DecodeOptions(4, -0.1, 0, 2, 10)).key());
        assertEquals("decode.coveragePenalty", assertThrows(ConfigException.class,
                () -> new DecodeOptions(4, 0.6, Double.NaN, 2, 10)).key());
        assertEquals("decode.maxLengthRatio", assertThrows(ConfigException.class,
                () -> new DecodeOptions(4, 0.6, 0, -1, 10)).key());
        assertEquals("decode.maxLengthOffset", assertThrows(ConfigException.class,
                () -> new DecodeOptions(4, 0.6, 0, 2, 0)).key());
    }

    @Test
    void maxOutputLengthIsLinearInTheSourceAndCappedByTheModel() {
        DecodeOptions options = DecodeOptions.beam(4);
        assertEquals(10, options.maxOutputLength(0, 64));
        assertEquals(2 * 7 + 10, options.maxOutputLength(7, 64));
        assertEquals(64, options.maxOutputLength(40, 64));
        assertEquals(4, new DecodeOptions(1, 0, 0, 0.5, 1).maxOutputLength(7, 64));
    }

    @Test
    void lengthNormaliserIsGnmts() {
        assertEquals(1.0, new DecodeOptions(4, 0.0, 0, 2, 10).lengthNormalizer(17), 1e-12);
        assertEquals(1.0, DecodeOptions.beam(4).lengthNormalizer(1), 1e-12);
        assertEquals(Math.pow(15.0 / 6.0, 0.6), DecodeOptions.beam(4).lengthNormalizer(10), 1e-12);
    }

    @Test
    void largerLengthPenaltyPrefersTheLongerOfTwoHypotheses() {
        double[] noCoverage = {};
        DecodeOptions rawLogProbability = new DecodeOptions(4, 0.0, 0, 2, 10);
        DecodeOptions normalised = new DecodeOptions(4, 1.0, 0, 2, 10);
        // 3 tokens at log-probability -2.0 against 10 tokens at -2.6
        assertTrue(rawLogProbability.score(-2.0, 3, noCoverage) > rawLogProbability.score(-2.6, 10, noCoverage));
        assertTrue(normalised.score(-2.0, 3, noCoverage) < normalised.score(-2.6, 10, noCoverage));
    }

    @Test
    void coverageScoreOfAHandMadeAttentionMatrix() {
        double[][] attention = { // output token i (rows) × source token j (columns)
            {0.7, 0.2, 0.1, 0.0},
            {0.1, 0.6, 0.3, 0.0},
            {0.5, 0.1, 0.2, 0.2}};
        double[] coverage = columnSums(attention); // 1.3, 0.9, 0.6, 0.2
        double expected = 0.4 * (Math.log(1.0) + Math.log(0.9) + Math.log(0.6) + Math.log(0.2));
        assertEquals(expected, new DecodeOptions(4, 0.6, 0.4, 2, 10).coverageScore(coverage), 1e-12);
        assertEquals(0.0, DecodeOptions.beam(4).coverageScore(coverage), "β = 0 turns it off");
        assertEquals(0.0, new DecodeOptions(4, 0.6, 0.4, 2, 10).coverageScore(new double[] {1.0, 2.5}),
                "attention beyond 1 earns nothing");
        assertEquals(0.4 * Math.log(DecodeOptions.MIN_COVERAGE),
                new DecodeOptions(4, 0.6, 0.4, 2, 10).coverageScore(new double[] {0.0}), 1e-12);
        assertEquals(expected / 0.4 + (-3.0) / Math.pow(8.0 / 6.0, 0.6),
                new DecodeOptions(4, 0.6, 1.0, 2, 10).score(-3.0, 3, coverage), 1e-12);
    }

    @Test
    void topKIsPartialSelectionWithArgMaxTieBreaking() {
        float[] values = {0.5f, 3f, -1f, 3f, 2f, 7f, 3f};
        assertArrayEquals(new int[] {5, 1, 3}, TopK.largest(values, 3, i -> true));
        assertArrayEquals(new int[] {5, 3, 6}, TopK.largest(values, 3, i -> i != 1));
        assertArrayEquals(new int[] {5, 1, 3, 6, 4, 0, 2}, TopK.largest(values, 10, i -> true));
        assertArrayEquals(new int[] {2}, TopK.largest(values, 4, i -> i == 2));
    }

    @Test
    void lengthPenaltyDecidesBetweenAShortAndALongerFinishedHypothesis() {
        assertArrayEquals(new int[] {}, shortOrLong(new DecodeOptions(2, 0.0, 0, 0, 5)).tokens());
        assertArrayEquals(new int[] {5}, shortOrLong(new DecodeOptions(2, 2.0, 0, 0, 5)).tokens());
        assertArrayEquals(new int[] {}, shortOrLong(new DecodeOptions(1, 2.0, 0, 0, 5)).tokens(),
                "a beam of 1 stops at the first EOS, as greedy decoding does");
    }

    /** Step 1: EOS 0.40, token 5 0.35, token 6 0.25. Step 2: EOS after 5 with 0.95, after 6 with 0.9. */
    private static Hypothesis shortOrLong(DecodeOptions options) {
        SentenceBeam beam = new SentenceBeam(0, options, 1, 5);
        beam.advance(new float[][] {row(Map.of(Vocabulary.EOS, 0.40, 5, 0.35, 6, 0.25))}, attention(1, 1.0f));
        if (!beam.done()) {
            beam.advance(new float[][] {row(Map.of(Vocabulary.EOS, 0.95)), row(Map.of(Vocabulary.EOS, 0.9))},
                    attention(2, 1.0f));
        }
        assertTrue(beam.done());
        return beam.best();
    }

    @Test
    void coveragePenaltyPrefersTheHypothesisThatAttendedToAllTheSource() {
        assertArrayEquals(new int[] {5}, equallyLikely(new DecodeOptions(2, 0.6, 0, 0, 5)).tokens(),
                "without coverage the tie goes to the first");
        assertArrayEquals(new int[] {6}, equallyLikely(new DecodeOptions(2, 0.6, 1.0, 0, 5)).tokens());
    }

    /**
     * Tokens 5 and 6 are equally likely and both followed by EOS; predicting them attends half to each of two
     * source tokens, then predicting EOS after 5 attends to the first token only, after 6 to both.
     */
    private static Hypothesis equallyLikely(DecodeOptions options) {
        SentenceBeam beam = new SentenceBeam(0, options, 2, 5);
        beam.advance(new float[][] {row(Map.of(5, 0.45, 6, 0.45, Vocabulary.EOS, 0.05))}, new float[][] {{0.5f, 0.5f}});
        beam.advance(new float[][] {row(Map.of(Vocabulary.EOS, 0.9)), row(Map.of(Vocabulary.EOS, 0.9))},
                new float[][] {{0.5f, 0f}, {0.5f, 0.5f}});
        assertTrue(beam.done());
        return beam.best();
    }

    @Test
    void stopsAtTheLengthLimitWithTheBestAliveHypothesis() {
        SentenceBeam beam = new SentenceBeam(0, new DecodeOptions(2, 0.6, 0, 0, 2), 1, 2);
        beam.advance(new float[][] {row(Map.of(5, 0.6, 6, 0.3))}, attention(1, 1.0f));
        beam.advance(new float[][] {row(Map.of(7, 0.5, 4, 0.4)), row(Map.of(7, 0.9))}, attention(2, 1.0f));
        assertTrue(beam.done());
        assertArrayEquals(new int[] {5, 7}, beam.best().tokens());
        assertEquals(Math.log(0.6) + Math.log(0.5), beam.best().logProbability(), 1e-6);
    }

    /** Next-token log-probabilities: the given tokens' probabilities, every other token unlikely. */
    private static float[] row(Map<Integer, Double> probabilities) {
        float[] row = new float[VOCABULARY];
        Arrays.fill(row, UNLIKELY);
        probabilities.forEach((token, probability) -> row[token] = (float) Math.log(probability));
        return row;
    }

    private static float[][] attention(int rows, float value) {
        float[][] attention = new float[rows][1];
        for (float[] row : attention) {
            row[0] = value;
        }
        return attention;
    }

    private static double[] columnSums(double[][] matrix) {
        double[] sums = new double[matrix[0].length];
        for (double[] row : matrix) {
            for (int j = 0; j < sums.length; j++) {
                sums[j] += row[j];
            }
        }
        return sums;
    }
}
