package dev.fulcrum.model.decode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.eval.CorpusBleu;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A few hundred sentence pairs memorised to BLEU > 90 by greedy decoding and by a beam of 4: tokenizer →
 * batches → training → decoding → BLEU.
 */
@Tag("slow")
class OverfitTest {
    @Test
    void memorisesAFewHundredPairsToBleuAbove90() {
        TinyTranslationTask task = new TinyTranslationTask();
        double loss = Double.MAX_VALUE;
        long start = System.nanoTime();
        for (int epoch = 0; epoch < 120 && loss > 0.02; epoch++) {
            loss = task.trainEpoch();
            System.out.printf("overfit epoch %d loss %.4f steps %d %.1f s%n", epoch, loss, task.steps(),
                    (System.nanoTime() - start) / 1e9);
        }

        for (DecodeOptions options : List.of(DecodeOptions.greedy(), DecodeOptions.beam(4))) {
            double score = bleu(task, new BeamSearch(task.model(), options).translate(task.sources()));
            System.out.printf("overfit BLEU %.2f with beam %d after %d steps%n", score, options.beamSize(),
                    task.steps());
            assertTrue(score > 90, "BLEU " + score + " with beam " + options.beamSize());
        }
    }

    private static double bleu(TinyTranslationTask task, List<int[]> outputs) {
        List<String[]> pairs = task.pairs();
        CorpusBleu bleu = new CorpusBleu();
        Map<String, String> examples = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            String hypothesis = task.tokenizer().decode(outputs.get(i));
            bleu.add(hypothesis, pairs.get(i)[1]);
            if (i % 60 == 0) {
                examples.put(pairs.get(i)[0], hypothesis);
            }
        }
        examples.forEach((s, h) -> System.out.println("overfit example: " + s + " => " + h));
        return bleu.result().score();
    }
}
