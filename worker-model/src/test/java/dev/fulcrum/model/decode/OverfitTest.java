package dev.fulcrum.model.decode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.eval.CorpusBleu;
import dev.fulcrum.model.text.BpeLearner;
import dev.fulcrum.model.text.BpeTokenizer;
import dev.fulcrum.model.text.PreTokenizer;
import dev.fulcrum.model.train.TrainingStep;
import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;

/** A few hundred sentence pairs memorised to BLEU > 90 by greedy decoding: tokenizer → batches → training → decoding → BLEU. */
@Tag("slow")
class OverfitTest {
    private static final String[][] NOUNS = {{"file", "fichier"}, {"folder", "dossier"}, {"window", "fenêtre"},
        {"printer", "imprimante"}, {"server", "serveur"}, {"message", "message"}, {"account", "compte"},
        {"device", "périphérique"}, {"network", "réseau"}, {"password", "mot de passe"}};
    private static final String[][] ADJECTIVES = {{"new", "nouveau"}, {"selected", "sélectionné"},
        {"default", "par défaut"}, {"remote", "distant"}, {"hidden", "caché"}};
    private static final String[][] STATES = {{"could not be opened", "n'a pas pu être ouvert"},
        {"was saved", "a été enregistré"}, {"is missing", "est introuvable"}, {"was deleted", "a été supprimé"},
        {"is read-only", "est en lecture seule"}};

    /** "The ADJ NOUN STATE." → "Le NOUN ADJ STATE." (French puts most adjectives after the noun). */
    static List<String[]> corpus() {
        List<String[]> pairs = new ArrayList<>();
        for (String[] noun : NOUNS) {
            for (String[] adjective : ADJECTIVES) {
                for (String[] state : STATES) {
                    pairs.add(new String[] {
                        "The " + adjective[0] + " " + noun[0] + " " + state[0] + ".",
                        "Le " + noun[1] + " " + adjective[1] + " " + state[1] + "."});
                }
            }
        }
        return pairs; // 250 pairs
    }

    @Test
    void memorisesAFewHundredPairsToBleuAbove90() {
        List<String[]> pairs = corpus();
        List<String> sides = new ArrayList<>();
        pairs.forEach(p -> { sides.add(p[0]); sides.add(p[1]); });
        BpeTokenizer tokenizer = new BpeTokenizer(BpeLearner.learn(PreTokenizer.countWords(sides), 400, 2));
        List<int[][]> encoded = new ArrayList<>();
        pairs.forEach(p -> encoded.add(new int[][] {tokenizer.encode(p[0]), tokenizer.encode(p[1])}));

        ModelConfig config = new ModelConfig(tokenizer.vocabulary().size(), 64, 4, 128, 2, 2, 0.0, 0.0, 64,
                ModelConfig.SOFTMAX, 3, false);
        Transformer model = Transformer.initialize(config, 7, DataType.FLOAT);
        TrainingStep step = new TrainingStep(model, new TrainingConfig(3e-3, 60, 1.0, 800, 7));
        Batcher batcher = new Batcher(config.maxLength(), 800);

        double loss = Double.MAX_VALUE;
        long start = System.nanoTime();
        for (int epoch = 0; epoch < 120 && loss > 0.02; epoch++) {
            double sum = 0;
            List<MultiDataSet> batches = batcher.batch(encoded, epoch).batches();
            for (MultiDataSet batch : batches) {
                sum += step.fit(batch, Knobs.NONE).loss();
            }
            loss = sum / batches.size();
            System.out.printf("overfit epoch %d loss %.4f steps %d %.1f s%n", epoch, loss, step.step(),
                    (System.nanoTime() - start) / 1e9);
        }

        List<int[]> sources = new ArrayList<>();
        encoded.forEach(p -> sources.add(p[0]));
        List<int[]> outputs = new GreedyDecoder(model).translate(sources, 40);
        CorpusBleu bleu = new CorpusBleu();
        Map<String, String> examples = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            String hypothesis = tokenizer.decode(outputs.get(i));
            bleu.add(hypothesis, pairs.get(i)[1]);
            if (i % 60 == 0) {
                examples.put(pairs.get(i)[0], hypothesis);
            }
        }
        double score = bleu.result().score();
        System.out.printf("overfit BLEU %.2f after %d steps%n", score, step.step());
        examples.forEach((s, h) -> System.out.println("overfit example: " + s + " => " + h));
        assertTrue(score > 90, "BLEU " + score);
    }
}
