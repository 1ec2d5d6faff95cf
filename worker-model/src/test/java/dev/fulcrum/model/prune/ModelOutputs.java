package dev.fulcrum.model.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.decode.BeamSearch;
import dev.fulcrum.model.decode.DecodeOptions;
import dev.fulcrum.model.eval.Evaluator;
import dev.fulcrum.model.transformer.GraphInputs;
import dev.fulcrum.model.transformer.Transformer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * What a model computes on the {@link GatedModels} sentences: token NLL from the evaluation graph, the
 * encoder output, next-token log-probabilities along a teacher-forced prefix, greedy and beam translations.
 */
record ModelOutputs(double nll, float[] encoded, float[] logProbs, List<int[]> greedy, List<int[]> beam) {
    static final double TOLERANCE = 1e-5;
    /** Three tokens at most: an untrained model seldom ends a sentence (decoding is the slow part). */
    private static final DecodeOptions GREEDY = new DecodeOptions(1, 0.6, 0, 0, 3);
    private static final DecodeOptions BEAM = new DecodeOptions(4, 0.6, 0, 0, 3);

    /** All outputs, translations included. */
    static ModelOutputs of(Transformer model) {
        ModelOutputs scores = scores(model);
        List<int[]> sources = GatedModels.sources();
        return new ModelOutputs(scores.nll(), scores.encoded(), scores.logProbs(),
                new BeamSearch(model, GREEDY).translate(sources), new BeamSearch(model, BEAM).translate(sources));
    }

    /** The outputs without translations (decoding is the slow part). */
    static ModelOutputs scores(Transformer model) {
        List<int[]> sources = GatedModels.sources();
        List<int[][]> pairs = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            pairs.add(new int[][] {sources.get(i), sources.get((i + 1) % sources.size())});
        }
        MultiDataSet batch = Batcher.toBatch(pairs);
        INDArray encoded = model.encoderGraph().output(model.feeds().forEncoder(batch.getFeatures(0)),
                GraphInputs.ENCODER_OUT).get(GraphInputs.ENCODER_OUT);
        INDArray logProbs = model.decoderGraph().output(model.feeds().forDecoderStep(batch.getFeatures(0), encoded,
                batch.getFeatures(1)), GraphInputs.LAST_LOG_PROBS).get(GraphInputs.LAST_LOG_PROBS);
        return new ModelOutputs(new Evaluator(model).loss(List.of(batch)).nll(), encoded.reshape(-1).toFloatVector(),
                logProbs.reshape(-1).toFloatVector(), List.of(), List.of());
    }

    void assertSameAs(ModelOutputs expected) {
        assertEquals(expected.nll(), nll(), TOLERANCE, "token NLL");
        assertArrayEquals(expected.encoded(), encoded(), (float) TOLERANCE, "encoder output");
        assertArrayEquals(expected.logProbs(), logProbs(), (float) TOLERANCE, "next-token log-probabilities");
        assertTranslations(expected.greedy(), greedy(), "greedy");
        assertTranslations(expected.beam(), beam(), "beam");
    }

    private static void assertTranslations(List<int[]> expected, List<int[]> actual, String decoder) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), decoder + " translation of sentence " + i);
        }
    }
}
