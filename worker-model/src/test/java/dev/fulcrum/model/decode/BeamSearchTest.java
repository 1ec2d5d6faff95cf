package dev.fulcrum.model.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.text.Vocabulary;
import dev.fulcrum.model.transformer.GraphInputs;
import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Beam search on the overfit corpus's tiny model, untrained (fast; {@link BeamSearchTrainedTest} repeats
 * these checks on a trained one), against independent references. Outputs are kept short (a = 0.5, b = 2):
 * models this weak seldom end a sentence, which would make every sentence run to the length limit.
 */
@TestInstance(Lifecycle.PER_CLASS)
class BeamSearchTest {
    private static final DecodeOptions GREEDY = options(1, 0);
    private static final DecodeOptions BEAM = options(4, 0);
    private Transformer model;
    private List<int[]> sources;

    /** Optimiser steps the model is trained for before decoding. */
    int trainingSteps() {
        return 0;
    }

    @BeforeAll
    void trainTinyModel() {
        TinyTranslationTask task = new TinyTranslationTask().trainedFor(trainingSteps());
        model = task.model();
        Map<Integer, int[]> firstOfEachLength = new LinkedHashMap<>();
        task.sources().forEach(source -> firstOfEachLength.putIfAbsent(source.length, source));
        sources = firstOfEachLength.values().stream().limit(3).toList();
        assertEquals(3, sources.size(), "sources of three different lengths");
    }

    /** Sinkhorn balances the encoder only; the decoder's step graph must run like a softmax model's. */
    @Test
    void aSinkhornModelDecodes() {
        ModelConfig sinkhorn = new ModelConfig(model.config().vocabSize(), 16, 2, 32, 1, 1, 0.0, 0.0, 64,
                ModelConfig.SINKHORN, 3, true);
        Transformer balanced = Transformer.initialize(sinkhorn, 3, DataType.FLOAT);
        for (DecodeOptions options : List.of(GREEDY, BEAM)) {
            List<int[]> outputs = new BeamSearch(balanced, options).translate(sources);
            for (int i = 0; i < sources.size(); i++) {
                assertTrue(outputs.get(i).length <= maxOutputLength(options, sources.get(i)), "sentence " + i);
            }
        }
    }

    @Test
    void beamOfOneIsGreedyDecoding() {
        List<int[]> outputs = new BeamSearch(model, GREEDY).translate(sources);
        for (int i = 0; i < sources.size(); i++) {
            assertArrayEquals(greedy(sources.get(i), maxOutputLength(GREEDY, sources.get(i))), outputs.get(i),
                    "sentence " + i);
        }
    }

    @Test
    void aWiderBeamFindsAtLeastAsGoodAScoreAsGreedyDecodingAndReportsTrueLogProbabilities() {
        List<Hypothesis> greedy = new BeamSearch(model, GREEDY).search(sources);
        List<Hypothesis> beam = new BeamSearch(model, BEAM).search(sources);
        for (int i = 0; i < sources.size(); i++) {
            assertTrue(beam.get(i).score() >= greedy.get(i).score(),
                    "sentence " + i + ": beam " + beam.get(i).score() + " < greedy " + greedy.get(i).score());
            assertLogProbabilityIsTheModels(sources.get(i), greedy.get(i), GREEDY);
            assertLogProbabilityIsTheModels(sources.get(i), beam.get(i), BEAM);
            int beamLength = beam.get(i).tokens().length + (complete(sources.get(i), beam.get(i), BEAM) ? 1 : 0);
            assertEquals(beam.get(i).logProbability() / BEAM.lengthNormalizer(beamLength), beam.get(i).score(), 1e-9);
        }
    }

    @Test
    void outputsRespectTheLengthLimit() {
        DecodeOptions options = new DecodeOptions(3, 0.6, 0, 0.5, 2);
        List<int[]> outputs = new BeamSearch(model, options).translate(sources);
        int[] limits = sources.stream().mapToInt(source -> maxOutputLength(options, source)).toArray();
        for (int i = 0; i < sources.size(); i++) {
            assertTrue(outputs.get(i).length <= limits[i], "sentence " + i);
        }
        assertTrue(IntStream.range(0, limits.length).anyMatch(i -> outputs.get(i).length == limits[i]),
                "the limit stopped some sentence");
    }

    @Test
    void aBatchOfSentencesOfDifferentLengthsDecodesAsEachSentenceAlone() {
        BeamSearch search = new BeamSearch(model, options(4, 0.2));
        List<Hypothesis> batch = search.search(sources);
        for (int i = 0; i < sources.size(); i++) {
            Hypothesis alone = search.search(List.of(sources.get(i))).get(0);
            assertArrayEquals(alone.tokens(), batch.get(i).tokens(), "sentence " + i);
            assertEquals(alone.score(), batch.get(i).score(), 1e-4, "sentence " + i);
        }
    }

    @Test
    void noSourcesNeedNoDecodingAndTooLongOnesAreRejected() {
        assertEquals(List.of(), new BeamSearch(model, GREEDY).search(List.of()));
        int[] tooLong = new int[model.config().maxLength()];
        Arrays.fill(tooLong, Vocabulary.UNK);
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(model, GREEDY).search(List.of(tooLong)));
    }

    private static DecodeOptions options(int beamSize, double coveragePenalty) {
        return new DecodeOptions(beamSize, DecodeOptions.DEFAULT_LENGTH_PENALTY, coveragePenalty, 0.5, 2);
    }

    private int maxOutputLength(DecodeOptions options, int[] source) {
        return options.maxOutputLength(source.length, model.config().maxLength());
    }

    /** Greedy decoding of one sentence, as the decoder it replaced did it: argMax until EOS or the length limit. */
    private int[] greedy(int[] source, int maxOutputLength) {
        INDArray sourceIds = Nd4j.createFromArray(new int[][] {append(source, Vocabulary.EOS)});
        INDArray encoded = model.encoderGraph().output(model.feeds().forEncoder(sourceIds), GraphInputs.ENCODER_OUT)
                .get(GraphInputs.ENCODER_OUT);
        int[] prefix = {Vocabulary.BOS};
        while (prefix.length <= maxOutputLength) {
            INDArray logProbs = model.decoderGraph().output(model.feeds().forDecoderStep(sourceIds, encoded,
                    Nd4j.createFromArray(new int[][] {prefix})), GraphInputs.LAST_LOG_PROBS)
                    .get(GraphInputs.LAST_LOG_PROBS);
            int next = logProbs.argMax(1).getInt(0);
            if (next == Vocabulary.EOS) {
                break;
            }
            prefix = append(prefix, next);
        }
        return Arrays.copyOfRange(prefix, 1, prefix.length);
    }

    /** The hypothesis's log-probability under teacher forcing in the evaluation graph, EOS included when generated. */
    private void assertLogProbabilityIsTheModels(int[] source, Hypothesis hypothesis, DecodeOptions options) {
        int[] tokens = hypothesis.tokens();
        int[] targetOut = complete(source, hypothesis, options) ? append(tokens, Vocabulary.EOS) : tokens;
        int[] targetIn = Arrays.copyOf(prepend(Vocabulary.BOS, tokens), targetOut.length);
        INDArray nll = model.evaluationGraph().output(model.feeds().forLoss(
                Nd4j.createFromArray(new int[][] {append(source, Vocabulary.EOS)}),
                Nd4j.createFromArray(new int[][] {targetIn}), Nd4j.createFromArray(new int[][] {targetOut}),
                Knobs.NONE, null), GraphInputs.NLL).get(GraphInputs.NLL);
        assertEquals(-nll.getDouble(0), hypothesis.logProbability(), 1e-3);
    }

    /** Whether the hypothesis ended in EOS: only those cut by the length limit reach it. */
    private boolean complete(int[] source, Hypothesis hypothesis, DecodeOptions options) {
        return hypothesis.tokens().length < maxOutputLength(options, source);
    }

    private static int[] append(int[] ids, int id) {
        int[] longer = Arrays.copyOf(ids, ids.length + 1);
        longer[ids.length] = id;
        return longer;
    }

    private static int[] prepend(int id, int[] ids) {
        int[] longer = new int[ids.length + 1];
        longer[0] = id;
        System.arraycopy(ids, 0, longer, 1, ids.length);
        return longer;
    }
}
