package dev.fulcrum.model.decode;

import java.util.ArrayList;
import java.util.List;

import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.text.BpeLearner;
import dev.fulcrum.model.text.BpeTokenizer;
import dev.fulcrum.model.text.PreTokenizer;
import dev.fulcrum.model.train.TrainingStep;
import dev.fulcrum.model.transformer.Transformer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;

/** 250 templated English→French pairs, their tokenizer, and the recipe of a tiny model that learns them. */
final class TinyTranslationTask {
    private static final String[][] NOUNS = {{"file", "fichier"}, {"folder", "dossier"}, {"window", "fenêtre"},
        {"printer", "imprimante"}, {"server", "serveur"}, {"message", "message"}, {"account", "compte"},
        {"device", "périphérique"}, {"network", "réseau"}, {"password", "mot de passe"}};
    private static final String[][] ADJECTIVES = {{"new", "nouveau"}, {"selected", "sélectionné"},
        {"default", "par défaut"}, {"remote", "distant"}, {"hidden", "caché"}};
    private static final String[][] STATES = {{"could not be opened", "n'a pas pu être ouvert"},
        {"was saved", "a été enregistré"}, {"is missing", "est introuvable"}, {"was deleted", "a été supprimé"},
        {"is read-only", "est en lecture seule"}};

    private final List<String[]> pairs = corpus();
    private final BpeTokenizer tokenizer;
    private final List<int[][]> encoded = new ArrayList<>();
    private final Transformer model;
    private final TrainingStep trainer;
    private final Batcher batcher;
    private int epoch;

    TinyTranslationTask() {
        List<String> sides = new ArrayList<>();
        pairs.forEach(p -> { sides.add(p[0]); sides.add(p[1]); });
        tokenizer = new BpeTokenizer(BpeLearner.learn(PreTokenizer.countWords(sides), 400, 2));
        pairs.forEach(p -> encoded.add(new int[][] {tokenizer.encode(p[0]), tokenizer.encode(p[1])}));
        ModelConfig config = new ModelConfig(tokenizer.vocabulary().size(), 64, 4, 128, 2, 2, 0.0, 0.0, 64,
                ModelConfig.SOFTMAX, 3, false);
        model = Transformer.initialize(config, 7, DataType.FLOAT);
        trainer = new TrainingStep(model, new TrainingConfig(3e-3, 60, 1.0, 800, 7));
        batcher = new Batcher(config.maxLength(), 800);
    }

    /** "The ADJ NOUN STATE." → "Le NOUN ADJ STATE." (French puts most adjectives after the noun). */
    private static List<String[]> corpus() {
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

    /** Trains on one shuffled pass over the pairs; returns the mean minibatch loss. */
    double trainEpoch() {
        List<MultiDataSet> batches = batcher.batch(encoded, epoch++).batches();
        double sum = 0;
        for (MultiDataSet batch : batches) {
            sum += trainer.fit(batch, Knobs.NONE).loss();
        }
        return sum / batches.size();
    }

    /** Trains until at least {@code steps} optimiser steps have been taken in all. */
    TinyTranslationTask trainedFor(int steps) {
        while (trainer.step() < steps) {
            trainEpoch();
        }
        return this;
    }

    long steps() {
        return trainer.step();
    }

    List<String[]> pairs() {
        return pairs;
    }

    BpeTokenizer tokenizer() {
        return tokenizer;
    }

    /** Source sides as token ids, in corpus order. */
    List<int[]> sources() {
        return encoded.stream().map(pair -> pair[0]).toList();
    }

    Transformer model() {
        return model;
    }
}
