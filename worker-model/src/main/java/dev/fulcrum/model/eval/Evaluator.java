package dev.fulcrum.model.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.attention.HeadStatistic;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.decode.CorpusDecoder;
import dev.fulcrum.model.decode.DecodeOptions;
import dev.fulcrum.model.text.BpeTokenizer;
import dev.fulcrum.model.train.NativeMemory;
import dev.fulcrum.model.transformer.GraphInputs;
import dev.fulcrum.model.transformer.Transformer;
import dev.fulcrum.model.transformer.TransformerGraph;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Held-out evaluation of a model: token loss, perplexity, per-head attention statistics, BLEU and chrF. */
public final class Evaluator {
    private final Transformer model;

    public Evaluator(Transformer model) {
        this.model = model;
    }

    /**
     * Loss figures and attention statistics over minibatches.
     *
     * @param nll        mean negative log-likelihood per target token (no label smoothing)
     * @param perplexity exp(nll)
     * @param tokens     target tokens scored
     * @param attention  "layer.statistic" → per-head values, token-weighted mean over batches
     */
    public record LossReport(double nll, double perplexity, long tokens, Map<String, double[]> attention) {
    }

    public LossReport loss(List<? extends MultiDataSet> batches) {
        SameDiff graph = model.evaluationGraph();
        List<String> statistics = statisticNames(graph);
        List<String> outputs = new ArrayList<>(statistics);
        outputs.add(GraphInputs.NLL);
        outputs.add(GraphInputs.TOKENS);
        double nllSum = 0;
        long tokens = 0;
        Map<String, double[]> weighted = new LinkedHashMap<>();
        for (MultiDataSet batch : batches) {
            NativeMemory.collectWhenGrown();
            Map<String, INDArray> values = graph.output(model.feeds().forLoss(Batcher.source(batch),
                    Batcher.targetIn(batch), Batcher.targetOut(batch), Knobs.NONE, null), outputs.toArray(String[]::new));
            long batchTokens = values.get(GraphInputs.TOKENS).getLong(0);
            nllSum += values.get(GraphInputs.NLL).getDouble(0);
            tokens += batchTokens;
            for (String name : statistics) {
                double[] perHead = values.get(name).toDoubleVector();
                double[] sum = weighted.computeIfAbsent(name, n -> new double[perHead.length]);
                for (int h = 0; h < perHead.length; h++) {
                    sum[h] += perHead[h] * batchTokens;
                }
            }
        }
        final long total = Math.max(tokens, 1);
        weighted.values().forEach(sum -> {
            for (int h = 0; h < sum.length; h++) {
                sum[h] /= total;
            }
        });
        double nll = nllSum / total;
        return new LossReport(nll, Math.exp(nll), tokens, weighted);
    }

    /** Corpus BLEU (13a) and chrF2 of the model's translations, plus the translations themselves. */
    public record QualityReport(double bleu, double chrf, List<String> hypotheses) {
    }

    public QualityReport quality(BpeTokenizer tokenizer, List<String> sources, List<String> references,
                                 DecodeOptions options, int batchSize) {
        return quality(tokenizer, sources, references, options, batchSize, 1);
    }

    /** {@link #quality(BpeTokenizer, List, List, DecodeOptions, int)} decoded by {@code threads} threads. */
    public QualityReport quality(BpeTokenizer tokenizer, List<String> sources, List<String> references,
                                 DecodeOptions options, int batchSize, int threads) {
        List<int[]> encoded = new ArrayList<>();
        for (String source : sources) {
            int[] ids = tokenizer.encode(source);
            encoded.add(ids.length < model.config().maxLength() ? ids
                    : java.util.Arrays.copyOf(ids, model.config().maxLength() - 1));
        }
        List<String> hypotheses = new ArrayList<>();
        try (CorpusDecoder decoder = new CorpusDecoder(model, options, batchSize, threads)) {
            decoder.translate(encoded).forEach(ids -> hypotheses.add(tokenizer.decode(ids)));
        }
        return new QualityReport(CorpusBleu.score(hypotheses, references).score(),
                ChrF.score(hypotheses, references), hypotheses);
    }

    private List<String> statisticNames(SameDiff graph) {
        List<String> names = new ArrayList<>();
        for (String layer : TransformerGraph.attentionLayers(model.config())) {
            for (HeadStatistic stat : HeadStatistic.values()) {
                if (graph.hasVariable(stat.of(layer))) {
                    names.add(stat.of(layer));
                }
            }
        }
        return names;
    }
}
