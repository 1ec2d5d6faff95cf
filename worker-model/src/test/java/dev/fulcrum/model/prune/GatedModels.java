package dev.fulcrum.model.prune;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.attention.BalancedAttention;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.text.BpeLearner;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.text.BpeTokenizer;
import dev.fulcrum.model.text.PreTokenizer;
import dev.fulcrum.model.transformer.Transformer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tiny gated model (2 + 2 layers, 4 heads each) whose gates are set by hand: closed, fractional and fully
 * open heads, one layer entirely closed, distinct log α everywhere so that budget rankings are unambiguous.
 */
final class GatedModels {
    static final List<String> SENTENCES = List.of("The file is full.", "Le fichier est plein.",
            "The disk was deleted.", "Le disque a été supprimé.");
    static final BpeModel VOCABULARY = BpeLearner.learn(PreTokenizer.countWords(SENTENCES), 400, 2);
    static final BpeTokenizer TOKENIZER = new BpeTokenizer(VOCABULARY);
    static final ModelConfig CONFIG = new ModelConfig(VOCABULARY.vocabulary().size(), 16, 4, 24, 2, 2, 0.0, 0.1,
            64, ModelConfig.SOFTMAX, 3, true);
    /** Closed: −10 and below (gate exactly 0); fractional: −2 .. 1.2; open: 2 and above (gate exactly 1). */
    static final Map<String, double[]> LOG_ALPHA = logAlpha();
    static final double CLOSED = -20;

    private GatedModels() {
    }

    private static Map<String, double[]> logAlpha() {
        Map<String, double[]> values = new LinkedHashMap<>();
        values.put("enc0.self", new double[] {-10, 0.5, 3.0, -1.0});
        values.put("enc1.self", new double[] {2.5, 1.0, -0.5, 4.0});
        values.put("dec0.self", new double[] {-12, 2.0, -11, 1.5});
        values.put("dec0.cross", new double[] {-10, -10.5, -11, -12});
        values.put("dec1.self", new double[] {3.5, -2.0, 0.0, 2.2});
        values.put("dec1.cross", new double[] {1.2, -0.2, 5.0, -13});
        return values;
    }

    /** The gated model: random weights and temperatures from {@code seed}, gates as {@link #LOG_ALPHA}. */
    static TranslationModel model(long seed) {
        Transformer transformer = Transformer.initialize(CONFIG, seed, DataType.FLOAT);
        Random random = new Random(seed);
        LOG_ALPHA.forEach((layer, alphas) -> {
            transformer.parameters().view(name(layer, BalancedAttention.GATE_LOG_ALPHA))
                    .assign(Nd4j.createFromArray(alphas).castTo(DataType.FLOAT));
            for (int h = 0; h < alphas.length; h++) {
                transformer.parameters().view(name(layer, BalancedAttention.LOG_TEMPERATURE))
                        .putScalar(h, random.nextDouble() - 0.5);
            }
        });
        return new TranslationModel(transformer, VOCABULARY, provenance(CONFIG));
    }

    /** A copy of {@code gated} whose heads {@code layer → indices} have their gates closed. */
    static Transformer withClosedGates(TranslationModel gated, Map<String, int[]> heads) {
        Transformer copy = Transformer.initialize(CONFIG, 0, DataType.FLOAT);
        copy.parameters().flat().assign(gated.transformer().parameters().flat());
        heads.forEach((layer, indices) -> {
            for (int h : indices) {
                copy.parameters().view(name(layer, BalancedAttention.GATE_LOG_ALPHA)).putScalar(h, CLOSED);
            }
        });
        return copy;
    }

    static Provenance provenance(ModelConfig config) {
        return Provenance.of(config, TrainingConfig.defaults(), "sha256:00", "0cb09bf",
                Instant.parse("2024-05-01T12:00:00Z"));
    }

    /** The sentences as token ids, no specials. */
    static List<int[]> sources() {
        return SENTENCES.stream().map(TOKENIZER::encode).toList();
    }

    private static String name(String layer, String parameter) {
        return BalancedAttention.parameterName(layer, parameter);
    }
}
