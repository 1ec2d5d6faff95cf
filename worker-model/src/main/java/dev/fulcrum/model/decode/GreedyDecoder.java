package dev.fulcrum.model.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.fulcrum.model.text.Vocabulary;
import dev.fulcrum.model.transformer.GraphInputs;
import dev.fulcrum.model.transformer.Transformer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batched greedy decoding: each source is encoded once, then the decoder-step graph extends all prefixes by
 * their most probable next token until every sentence has produced EOS or the length limit is reached.
 */
public final class GreedyDecoder {
    private final Transformer model;

    public GreedyDecoder(Transformer model) {
        this.model = model;
    }

    /** Translations (token ids, without BOS/EOS) of source sentences given as ids without specials. */
    public List<int[]> translate(List<int[]> sources, int maxOutputLength) {
        INDArray source = sourceBatch(sources);
        INDArray encoded = model.encoderGraph().output(model.feeds().forEncoder(source), GraphInputs.ENCODER_OUT)
                .get(GraphInputs.ENCODER_OUT);
        int batch = sources.size();
        List<int[]> prefixes = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            prefixes.add(new int[] {Vocabulary.BOS});
        }
        boolean[] finished = new boolean[batch];
        for (int step = 0; step < maxOutputLength && !allTrue(finished); step++) {
            INDArray logProbs = model.decoderGraph().output(
                    model.feeds().forDecoderStep(source, encoded, Nd4j.createFromArray(prefixes.toArray(int[][]::new))),
                    GraphInputs.LAST_LOG_PROBS).get(GraphInputs.LAST_LOG_PROBS);
            int[] next = logProbs.argMax(1).toIntVector();
            for (int i = 0; i < batch; i++) {
                int token = finished[i] ? Vocabulary.PAD : next[i];
                finished[i] |= token == Vocabulary.EOS;
                int[] extended = Arrays.copyOf(prefixes.get(i), prefixes.get(i).length + 1);
                extended[extended.length - 1] = token;
                prefixes.set(i, extended);
            }
        }
        List<int[]> outputs = new ArrayList<>();
        for (int[] prefix : prefixes) {
            outputs.add(Arrays.stream(prefix, 1, prefix.length)
                    .takeWhile(t -> t != Vocabulary.EOS && t != Vocabulary.PAD).toArray());
        }
        return outputs;
    }

    private static INDArray sourceBatch(List<int[]> sources) {
        int length = sources.stream().mapToInt(s -> s.length + 1).max().orElse(1);
        int[][] ids = new int[sources.size()][length];
        for (int i = 0; i < sources.size(); i++) {
            System.arraycopy(sources.get(i), 0, ids[i], 0, sources.get(i).length);
            ids[i][sources.get(i).length] = Vocabulary.EOS;
        }
        return Nd4j.createFromArray(ids);
    }

    private static boolean allTrue(boolean[] values) {
        for (boolean v : values) {
            if (!v) {
                return false;
            }
        }
        return true;
    }
}
