package dev.fulcrum.model.transformer;

import dev.fulcrum.model.parameters.Parameters;
import static dev.fulcrum.model.transformer.GraphInputs.*;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.attention.AttentionBalancing;
import dev.fulcrum.model.attention.BalancedAttention;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Turns token-id arrays into the placeholder values the graphs of {@link TransformerGraph} expect. */
public final class GraphFeeds {
    private final ModelConfig config;
    private final DataType type;
    private final Positions positions;
    private final Parameters parameters;

    public GraphFeeds(ModelConfig config, Parameters parameters) {
        this.config = config;
        this.parameters = parameters;
        this.type = parameters.dataType();
        this.positions = new Positions(config.maxLength() + 1, config.modelDim(), type);
    }

    /** Placeholders of a TRAIN or EVAL graph; {@code gateNoise} is null for EVAL. */
    public Map<String, INDArray> forLoss(INDArray source, INDArray targetIn, INDArray targetOut, Knobs knobs,
                                         Random gateNoise) {
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put(SOURCE, source);
        feeds.put(TARGET_IN, targetIn);
        feeds.put(SOURCE_ROWS, embeddingRows(source));
        feeds.put(TARGET_ROWS, embeddingRows(targetIn));
        feeds.put(OUTPUT_ROWS, embeddingRows(targetOut));
        feeds.put(SOURCE_POSITIONS, positionsFor(source));
        feeds.put(TARGET_POSITIONS, positionsFor(targetIn));
        feeds.put(CAUSAL, causal((int) targetIn.size(1)));
        feeds.put(KNOBS, Nd4j.createFromArray(knobs.toArray()).castTo(type));
        if (gateNoise != null && config.headGates()) {
            for (String layer : TransformerGraph.attentionLayers(config)) {
                feeds.put(BalancedAttention.gateNoiseName(layer), uniformNoise(gateNoise));
            }
        }
        return feeds;
    }

    /** Placeholders of the ENCODE graph. */
    public Map<String, INDArray> forEncoder(INDArray source) {
        Map<String, INDArray> feeds = forInference(source);
        feeds.put(SOURCE_ROWS, embeddingRows(source));
        feeds.put(SOURCE_POSITIONS, positionsFor(source));
        return feeds;
    }

    /** Placeholders of one DECODE step over the prefix {@code targetIn [B, t]}. */
    public Map<String, INDArray> forDecoderStep(INDArray source, INDArray encoded, INDArray targetIn) {
        Map<String, INDArray> feeds = forInference(source);
        feeds.put(TARGET_ROWS, embeddingRows(targetIn));
        feeds.put(ENCODER_OUT, encoded);
        feeds.put(TARGET_IN, targetIn);
        feeds.put(TARGET_POSITIONS, positionsFor(targetIn));
        feeds.put(CAUSAL, causal((int) targetIn.size(1)));
        return feeds;
    }

    /**
     * Placeholders of one cached {@link TransformerGraph.Mode#CACHED_STEP}: each row's newest token {@code [B, 1]} at
     * {@code position} (0 for BOS), and the cached keys and values by placeholder name: self-attention's, each
     * {@code [B, H, position + 1, dh]} (the first slot a placeholder), and cross-attention's of each row's
     * sentence, each {@code [B, H, Ts, dh]}.
     */
    public Map<String, INDArray> forCachedStep(INDArray source, INDArray newest, int position,
                                               Map<String, INDArray> selfAttentionCache,
                                               Map<String, INDArray> sourceKeysValues) {
        Map<String, INDArray> feeds = forInference(source);
        feeds.put(TARGET_ROWS, embeddingRows(newest));
        feeds.put(TARGET_IN, newest);
        feeds.put(TARGET_POSITIONS, positions.at(position, (int) newest.size(0)));
        float[] attendable = new float[position + 2];
        Arrays.fill(attendable, 1, attendable.length, 1f);
        feeds.put(CACHE_MASK, Nd4j.create(attendable, new long[] {1, attendable.length}, 'c').castTo(type));
        feeds.putAll(selfAttentionCache);
        feeds.putAll(sourceKeysValues);
        return feeds;
    }

    /** What both inference graphs take: the source ids (for its padding mask) and knobs that are all off. */
    private Map<String, INDArray> forInference(INDArray source) {
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put(SOURCE, source);
        feeds.put(KNOBS, Nd4j.createFromArray(Knobs.NONE.toArray()).castTo(type));
        return feeds;
    }

    private INDArray positionsFor(INDArray ids) {
        return positions.forBatch((int) ids.size(0), (int) ids.size(1));
    }

    /** Rows of the tied embedding table for every token of {@code ids [B, T]}, row-major: {@code [B*T, D]}. */
    private INDArray embeddingRows(INDArray ids) {
        return Nd4j.pullRows(parameters.view(TransformerGraph.EMBEDDING), 1, ids.reshape(-1).toIntVector());
    }

    private INDArray causal(int length) {
        float[] bias = new float[length * length];
        for (int q = 0; q < length; q++) {
            for (int k = q + 1; k < length; k++) {
                bias[q * length + k] = (float) AttentionBalancing.MASKED;
            }
        }
        return Nd4j.create(bias, new long[] {length, length}, 'c').castTo(type);
    }

    private INDArray uniformNoise(Random random) {
        float[] u = new float[config.heads()];
        for (int h = 0; h < u.length; h++) {
            u[h] = (float) (1e-6 + (1 - 2e-6) * random.nextDouble());
        }
        return Nd4j.createFromArray(u).castTo(type);
    }
}
