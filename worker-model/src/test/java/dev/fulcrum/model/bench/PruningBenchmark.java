package dev.fulcrum.model.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.decode.BeamSearch;
import dev.fulcrum.model.decode.DecodeOptions;
import dev.fulcrum.model.prune.HeadPruning;
import dev.fulcrum.model.prune.PruningRule;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.text.PreTokenizer;
import dev.fulcrum.model.text.Vocabulary;
import dev.fulcrum.model.transformer.Transformer;
import dev.fulcrum.model.transformer.TransformerGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Beam-search translation speed of a gated model against its copy pruned to half its heads
 * ({@code PruningRule(0.5, GLOBAL)}). Prints sentences/s of both; asserts nothing. The model is untrained
 * with random gate log α, so both decode to the length limit: the same number of steps, a fair comparison.
 * {@code mvn -pl worker-model test -Dgroups=bench -Dtest.excludedGroups= -Dtest=PruningBenchmark}; options:
 * {@code -Dsize=base|tiny} (the reference size, or a seconds-long smoke run), {@code -Dsentences=32},
 * {@code -Dlength=20} (source tokens), {@code -Dbeam=4}, {@code -Drepeats=3}.
 */
@Tag("bench")
class PruningBenchmark {
    @Test
    void beamSearchSpeedGatedVersusHalfPruned() {
        ModelConfig config = config(System.getProperty("size", "base"));
        int sentences = Integer.getInteger("sentences", 32);
        int length = Integer.getInteger("length", 20);
        int repeats = Integer.getInteger("repeats", 3);
        DecodeOptions options = new DecodeOptions(Integer.getInteger("beam", 4), 0.6, 0, 1.0, 2);

        TranslationModel gated = gatedModel(config);
        long start = System.nanoTime();
        TranslationModel pruned = HeadPruning.prune(gated, new PruningRule(0.5, PruningRule.Scope.GLOBAL));
        System.out.printf("pruning: %.1f s; heads %d -> %d%n", (System.nanoTime() - start) / 1e9,
                gated.transformer().headPlan().totalHeads(config), pruned.transformer().headPlan().totalHeads(config));
        List<int[]> sources = sources(sentences, length, config.vocabSize());
        double gatedRate = sentencesPerSecond("gated", gated.transformer(), sources, options, repeats);
        double prunedRate = sentencesPerSecond("pruned", pruned.transformer(), sources, options, repeats);
        System.out.printf("speed-up of the pruned model: %.2fx%n", prunedRate / gatedRate);
    }

    private static ModelConfig config(String size) {
        ModelConfig base = ModelConfig.base(8000).withAttention(ModelConfig.SOFTMAX, 3, true);
        return switch (size) {
            case "base" -> base;
            case "tiny" -> new ModelConfig(400, 32, 4, 64, 2, 2, 0.1, 0.1, 64, ModelConfig.SOFTMAX, 3, true);
            default -> throw new IllegalArgumentException("-Dsize must be base or tiny, not " + size);
        };
    }

    /** Random weights; gate log α uniform in [−3, 5], so some heads are closed, some partly and most fully open. */
    private static TranslationModel gatedModel(ModelConfig config) {
        Transformer transformer = Transformer.initialize(config, 1, DataType.FLOAT);
        Random random = new Random(2);
        for (String layer : TransformerGraph.attentionLayers(config)) {
            var logAlpha = transformer.parameters().view(
                    BalancedAttention.parameterName(layer, BalancedAttention.GATE_LOG_ALPHA));
            for (int h = 0; h < config.heads(); h++) {
                logAlpha.putScalar(h, -3 + 8 * random.nextDouble());
            }
        }
        return new TranslationModel(transformer, vocabulary(config.vocabSize()), Provenance.of(config,
                TrainingConfig.defaults(), "synthetic", Provenance.UNKNOWN_REVISION, Instant.now()));
    }

    /** A vocabulary of the model's size without merges: the benchmark feeds token ids directly. */
    private static BpeModel vocabulary(int size) {
        List<String> learned = new ArrayList<>(List.of(String.valueOf(PreTokenizer.WORD_START)));
        while (learned.size() < size - Vocabulary.FIRST_LEARNED_ID) {
            learned.add("t" + learned.size());
        }
        return new BpeModel(Vocabulary.withLearnedTokens(learned), List.of());
    }

    private static List<int[]> sources(int count, int length, int vocabSize) {
        Random random = new Random(3);
        List<int[]> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sources.add(random.ints(length, Vocabulary.FIRST_LEARNED_ID, vocabSize).toArray());
        }
        return sources;
    }

    /** One untimed pass (graph building, warm-up), then the best of {@code repeats} timed passes. */
    private static double sentencesPerSecond(String name, Transformer model, List<int[]> sources,
                                             DecodeOptions options, int repeats) {
        BeamSearch search = new BeamSearch(model, options);
        search.translate(sources);
        double best = 0;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            search.translate(sources);
            best = Math.max(best, sources.size() / ((System.nanoTime() - start) / 1e9));
        }
        System.out.printf("%s: %.2f sentences/s (beam %d, %d sentences of %d tokens, best of %d)%n", name, best,
                options.beamSize(), sources.size(), sources.get(0).length, repeats);
        return best;
    }
}
