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
 * the cached step graph once over the newest token of the alive hypotheses of all unfinished sentences
 * together, each row fed its own sentence's {@link SourceMemory} and its own hypothesis's {@link DecoderCache}
 * rows.
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
        SourceMemory memory = new SourceMemory(model, Nd4j.createFromArray(sourceIds));
        List<SentenceBeam> beams = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            int length = sources.get(i).length;
            beams.add(new SentenceBeam(i, options, length,
                    options.maxOutputLength(length, model.config().maxLength())));
        }
        DecoderCache cache = new DecoderCache(model, sources.size());
        List<SentenceBeam> active = beams;
        for (int position = 0; !active.isEmpty(); position++) {
            NativeMemory.collectWhenGrown();
            int[] rowsOfBeam = active.stream().mapToInt(beam -> beam.prefixes().size()).toArray();
            Map<String, INDArray> outputs = step(active, position, sourceIds, memory, cache);
            int[] parents = parentRows(active, rowsOfBeam);
            if (parents.length > 0) {
                cache.advance(outputs, parents);
            }
            active = unfinished(active);
        }
        return beams.stream().map(SentenceBeam::best).toList();
    }

    /** Runs the step graph over the newest token of every alive hypothesis and advances each beam by one token. */
    private Map<String, INDArray> step(List<SentenceBeam> active, int position, int[][] sourceIds,
                                       SourceMemory memory, DecoderCache cache) {
        int[][] newest = active.stream().flatMap(beam -> beam.prefixes().stream())
                .map(prefix -> new int[] {prefix[prefix.length - 1]}).toArray(int[][]::new);
        int[] sentenceOfRow = active.stream()
                .flatMapToInt(beam -> IntStream.generate(beam::sentence).limit(beam.prefixes().size())).toArray();
        int[][] sourceRows = Arrays.stream(sentenceOfRow).mapToObj(sentence -> sourceIds[sentence])
                .toArray(int[][]::new);
        List<String> wanted = new ArrayList<>(List.of(GraphInputs.LAST_LOG_PROBS, GraphInputs.LAST_CROSS_ATTENTION));
        wanted.addAll(cache.outputs());
        Map<String, INDArray> outputs = model.stepGraph().output(model.feeds().forCachedStep(
                Nd4j.createFromArray(sourceRows), Nd4j.createFromArray(newest), position, cache.feeds(),
                memory.rows(sentenceOfRow)), wanted.toArray(String[]::new));
        float[][] logProbs = outputs.get(GraphInputs.LAST_LOG_PROBS).toFloatMatrix();
        float[][] attention = outputs.get(GraphInputs.LAST_CROSS_ATTENTION).toFloatMatrix();
        int row = 0;
        for (SentenceBeam beam : active) {
            int rows = beam.prefixes().size();
            beam.advance(Arrays.copyOfRange(logProbs, row, row + rows), Arrays.copyOfRange(attention, row, row + rows));
            row += rows;
        }
        return outputs;
    }

    /**
     * For each hypothesis still alive after a step, its parent's row in that step: the step's rows were laid out
     * beam by beam ({@code rowsOfBeam} each), in the order of {@code stepped}.
     */
    private static int[] parentRows(List<SentenceBeam> stepped, int[] rowsOfBeam) {
        IntStream.Builder rows = IntStream.builder();
        int firstRow = 0;
        for (int i = 0; i < stepped.size(); i++) {
            if (!stepped.get(i).done()) {
                for (int parent : stepped.get(i).parents()) {
                    rows.add(firstRow + parent);
                }
            }
            firstRow += rowsOfBeam[i];
        }
        return rows.build().toArray();
    }

    private static List<SentenceBeam> unfinished(List<SentenceBeam> beams) {
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
