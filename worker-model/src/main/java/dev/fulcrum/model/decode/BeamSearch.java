package dev.fulcrum.model.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.fulcrum.model.text.Vocabulary;
import dev.fulcrum.model.train.NativeMemory;
import dev.fulcrum.model.transformer.GraphInputs;
import dev.fulcrum.model.transformer.Transformer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batched beam search (greedy decoding with a beam of 1): every source is encoded once, then each step runs
 * the decoder-step graph once over the alive hypotheses of all unfinished sentences together, each row fed
 * its own sentence's encoder output.
 */
public final class BeamSearch {
    private final Transformer model;
    private final DecodeOptions options;

    public BeamSearch(Transformer model, DecodeOptions options) {
        this.model = model;
        this.options = options;
    }

    /** Best translations (token ids without BOS/EOS) of sources given as ids without specials, in order. */
    public List<int[]> translate(List<int[]> sources) {
        return search(sources).stream().map(Hypothesis::tokens).toList();
    }

    /** The best hypothesis for each source (ids without specials), in order, with its log-probability and score. */
    public List<Hypothesis> search(List<int[]> sources) {
        if (sources.isEmpty()) {
            return List.of();
        }
        int[][] sourceIds = sourceBatch(sources);
        INDArray encoded = model.encoderGraph().output(model.feeds().forEncoder(Nd4j.createFromArray(sourceIds)),
                GraphInputs.ENCODER_OUT).get(GraphInputs.ENCODER_OUT);
        List<SentenceBeam> beams = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            int length = sources.get(i).length;
            beams.add(new SentenceBeam(i, options, length,
                    options.maxOutputLength(length, model.config().maxLength())));
        }
        for (List<SentenceBeam> active = unfinished(beams); !active.isEmpty(); active = unfinished(beams)) {
            NativeMemory.collectWhenGrown();
            step(active, sourceIds, encoded);
        }
        return beams.stream().map(SentenceBeam::best).toList();
    }

    private void step(List<SentenceBeam> active, int[][] sourceIds, INDArray encoded) {
        int[][] prefixes = active.stream().flatMap(beam -> beam.prefixes().stream()).toArray(int[][]::new);
        int[] sentenceOfRow = active.stream()
                .flatMapToInt(beam -> IntStream.generate(beam::sentence).limit(beam.prefixes().size())).toArray();
        Map<String, INDArray> outputs = decoderStep(sourceIds, encoded, sentenceOfRow, prefixes);
        float[][] logProbs = outputs.get(GraphInputs.LAST_LOG_PROBS).toFloatMatrix();
        float[][] attention = outputs.get(GraphInputs.LAST_CROSS_ATTENTION).toFloatMatrix();
        int row = 0;
        for (SentenceBeam beam : active) {
            int rows = beam.prefixes().size();
            beam.advance(Arrays.copyOfRange(logProbs, row, row + rows), Arrays.copyOfRange(attention, row, row + rows));
            row += rows;
        }
    }

    private Map<String, INDArray> decoderStep(int[][] sourceIds, INDArray encoded, int[] sentenceOfRow,
                                              int[][] prefixes) {
        int[][] sourceRows = Arrays.stream(sentenceOfRow).mapToObj(sentence -> sourceIds[sentence])
                .toArray(int[][]::new);
        return model.decoderGraph().output(model.feeds().forDecoderStep(Nd4j.createFromArray(sourceRows),
                        encoderRows(encoded, sentenceOfRow, sourceIds[0].length), Nd4j.createFromArray(prefixes)),
                GraphInputs.LAST_LOG_PROBS, GraphInputs.LAST_CROSS_ATTENTION);
    }

    /** The encoder output of each row's sentence: {@code [rows * Ts, D]}, as the decoder-step graph expects. */
    private static INDArray encoderRows(INDArray encoded, int[] sentenceOfRow, int sourceLength) {
        int[] indices = new int[sentenceOfRow.length * sourceLength];
        for (int r = 0; r < sentenceOfRow.length; r++) {
            for (int j = 0; j < sourceLength; j++) {
                indices[r * sourceLength + j] = sentenceOfRow[r] * sourceLength + j;
            }
        }
        return Nd4j.pullRows(encoded, 1, indices);
    }

    private List<SentenceBeam> unfinished(List<SentenceBeam> beams) {
        return beams.stream().filter(beam -> !beam.done()).toList();
    }

    /** Sources + EOS, PAD-padded to the longest. */
    private int[][] sourceBatch(List<int[]> sources) {
        int length = sources.stream().mapToInt(s -> s.length + 1).max().orElseThrow();
        if (length > model.config().maxLength()) {
            throw new IllegalArgumentException("a source has " + (length - 1)
                    + " tokens; the model accepts at most model.maxLength - 1 = " + (model.config().maxLength() - 1));
        }
        int[][] ids = new int[sources.size()][length];
        for (int i = 0; i < sources.size(); i++) {
            System.arraycopy(sources.get(i), 0, ids[i], 0, sources.get(i).length);
            ids[i][sources.get(i).length] = Vocabulary.EOS;
        }
        return ids;
    }
}
