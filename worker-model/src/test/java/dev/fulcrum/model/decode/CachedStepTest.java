package dev.fulcrum.model.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.transformer.GraphInputs;
import dev.fulcrum.model.transformer.HeadPlan;
import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The cached step graph computes what the whole-prefix step graph does, position after position, also after
 * the cache rows are reordered as beam search does when hypotheses swap places (and the source rows with them).
 */
class CachedStepTest {
    private static final float TOLERANCE = 1e-4f;
    private static final int VOCAB = 40;
    private static final int[][] SOURCES = {{5, 6, 7, 8, 2}, {9, 10, 2, 0, 0}, {11, 12, 13, 2, 0}};
    /** The token each row reads at each position: BOS, then anything. */
    private static final int[][] NEXT_TOKENS = {{1, 14, 15, 16, 17}, {1, 18, 19, 20, 21}, {1, 22, 23, 24, 25}};
    private static final List<String> STEP_OUTPUTS = List.of(GraphInputs.LAST_LOG_PROBS,
            GraphInputs.LAST_CROSS_ATTENTION);

    static List<Transformer> models() {
        ModelConfig gated = new ModelConfig(VOCAB, 16, 2, 32, 1, 2, 0.0, 0.0, 16, ModelConfig.SINKHORN, 3, true);
        ModelConfig softmax = new ModelConfig(VOCAB, 16, 2, 32, 1, 2, 0.0, 0.0, 16, ModelConfig.SOFTMAX, 1, false);
        HeadPlan pruned = new HeadPlan(Map.of("enc0.self", 1, "dec0.self", 0, "dec0.cross", 1, "dec1.self", 1,
                "dec1.cross", 2));
        return List.of(Transformer.initialize(gated, 11, DataType.FLOAT),
                Transformer.initialize(softmax, 12, DataType.FLOAT),
                Transformer.initialize(softmax, pruned, 13, DataType.FLOAT));
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyCachedStepMatchesTheWholePrefixStep(Transformer model) {
        int rows = SOURCES.length;
        int[] sentenceOfRow = {0, 1, 2};
        int[][] prefixes = new int[rows][0];
        DecoderCache cache = new DecoderCache(model, rows);
        SourceMemory memory = new SourceMemory(model, Nd4j.createFromArray(SOURCES));
        for (int position = 0; position < NEXT_TOKENS[0].length; position++) {
            int[][] newest = new int[rows][];
            for (int row = 0; row < rows; row++) {
                newest[row] = new int[] {NEXT_TOKENS[row][position]};
                prefixes[row] = append(prefixes[row], newest[row][0]);
            }
            INDArray source = Nd4j.createFromArray(IntStream.of(sentenceOfRow).mapToObj(s -> SOURCES[s])
                    .toArray(int[][]::new));
            INDArray encoded = model.encoderGraph().output(model.feeds().forEncoder(source), GraphInputs.ENCODER_OUT)
                    .get(GraphInputs.ENCODER_OUT);
            List<String> wanted = new ArrayList<>(STEP_OUTPUTS);
            wanted.addAll(cache.outputs());
            Map<String, INDArray> cached = model.stepGraph().output(model.feeds().forCachedStep(source,
                    Nd4j.createFromArray(newest), position, cache.feeds(), memory.rows(sentenceOfRow)),
                    wanted.toArray(String[]::new));
            Map<String, INDArray> whole = model.decoderGraph().output(model.feeds().forDecoderStep(source, encoded,
                    Nd4j.createFromArray(prefixes)), STEP_OUTPUTS.toArray(String[]::new));
            for (String output : STEP_OUTPUTS) {
                assertArrayEquals(whole.get(output).reshape(-1).toFloatVector(),
                        cached.get(output).reshape(-1).toFloatVector(), TOLERANCE, output + " at position " + position);
            }
            // After the second step the rows swap hypotheses as a beam's do: row 0 continues row 2, rows 1 and 2
            // both continue row 1.
            int[] parents = position == 1 ? new int[] {2, 1, 1} : new int[] {0, 1, 2};
            cache.advance(cached, parents);
            prefixes = pick(prefixes, parents);
            int[] sentences = sentenceOfRow;
            sentenceOfRow = IntStream.of(parents).map(parent -> sentences[parent]).toArray();
        }
    }

    private static int[][] pick(int[][] rows, int[] indices) {
        return IntStream.of(indices).mapToObj(index -> rows[index]).toArray(int[][]::new);
    }

    private static int[] append(int[] prefix, int token) {
        int[] extended = Arrays.copyOf(prefix, prefix.length + 1);
        extended[prefix.length] = token;
        return extended;
    }
}
