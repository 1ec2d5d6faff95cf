package dev.fulcrum.model.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;

import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.Knobs;
import dev.fulcrum.model.io.ModelStore;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.config.TrainingConfig;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.decode.DecodeOptions;
import dev.fulcrum.model.eval.CorpusBleu;
import dev.fulcrum.model.eval.Evaluator;
import dev.fulcrum.model.text.BpeLearner;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.text.BpeTokenizer;
import dev.fulcrum.model.text.PreTokenizer;
import dev.fulcrum.model.train.ProgressPrinter;
import dev.fulcrum.model.train.Trainer;
import dev.fulcrum.model.train.TrainingStep;
import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Issue 2's real-data run in one JVM: BPE 8k on the training split, the reference-size model, a wall-clock
 * training budget, then loss/BLEU/chrF on the validation split. Prints figures; asserts nothing.
 * Paths are read from the module directory (surefire's working directory): pass absolute ones, as here.
 * {@code mvn -pl worker-model test -Dgroups=bench -Dtest.excludedGroups= -Dtest=RealDataRun
 *   -Dtrain=$PWD/../shared/data/l10n-en-fr/train.tsv -Dvalid=$PWD/../shared/data/l10n-en-fr/valid.tsv -Dminutes=15
 *   [-Dwarmup=200] [-Dlr=1e-3] [-Dbeams=1,4] [-Dout=model-dir]}
 */
@Tag("bench")
class RealDataRun {
    @Test
    void trainAndEvaluate() throws IOException {
        List<String[]> train = readTsv(Path.of(System.getProperty("train")));
        List<String[]> valid = readTsv(Path.of(System.getProperty("valid")));
        double minutes = Double.parseDouble(System.getProperty("minutes", "15"));

        long t0 = System.nanoTime();
        List<String> sides = new ArrayList<>();
        train.forEach(p -> { sides.add(p[0]); sides.add(p[1]); });
        BpeModel bpe = BpeLearner.learn(PreTokenizer.countWords(sides), 8000, 2);
        BpeTokenizer tokenizer = new BpeTokenizer(bpe);
        List<int[][]> pairs = new ArrayList<>();
        train.forEach(p -> pairs.add(new int[][] {tokenizer.encode(p[0]), tokenizer.encode(p[1])}));
        System.out.printf("RUN data: %d train pairs, %d valid pairs, vocab %d, prepared in %.1f s%n",
                train.size(), valid.size(), tokenizer.vocabulary().size(), (System.nanoTime() - t0) / 1e9);

        ModelConfig config = ModelConfig.base(tokenizer.vocabulary().size());
        TrainingConfig training = new TrainingConfig(Double.parseDouble(System.getProperty("lr", "1e-3")),
                Integer.getInteger("warmup", 200), 1.0, 2048, 42);
        Transformer model = Transformer.initialize(config, training.seed(), DataType.FLOAT);
        System.out.printf("RUN model: %,d parameters (%.1f MB float32)%n", model.parameters().size(),
                model.parameters().size() * 4 / 1e6);
        Batcher batcher = new Batcher(config.maxLength(), training.batchTokens());
        int epochBatches = batcher.batch(pairs, 0).batches().size();
        ProgressPrinter progress = new ProgressPrinter(System.out, 20);
        TrainingStep step = new TrainingStep(model, training);
        long start = System.nanoTime();
        new Trainer(step, batcher, List.of(progress)).train(pairs,
                new Trainer.Budget(Duration.ofSeconds((long) (minutes * 60)), 1000, Long.MAX_VALUE), Knobs.NONE, 42);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("RUN trained %.1f s: %d steps, %.2f epochs, %,d tokens, %.0f tokens/s (%.3f x 3338)%n",
                seconds, step.step(), (double) step.step() / epochBatches, progress.tokens(),
                progress.tokens() / seconds, progress.tokens() / seconds / 3338);

        List<int[][]> validPairs = new ArrayList<>();
        valid.forEach(p -> validPairs.add(new int[][] {tokenizer.encode(p[0]), tokenizer.encode(p[1])}));
        Evaluator evaluator = new Evaluator(model);
        Evaluator.LossReport loss = evaluator.loss(batcher.batch(validPairs, 0).batches());
        System.out.printf("RUN valid: nll %.3f ppl %.1f over %d tokens%n", loss.nll(), loss.perplexity(), loss.tokens());
        loss.attention().forEach((k, v) -> System.out.println("RUN attention " + k + " " + java.util.Arrays.toString(v)));
        List<String> sources = valid.stream().map(p -> p[0]).toList();
        List<String> references = valid.stream().map(p -> p[1]).toList();
        System.out.printf("RUN copy-source BLEU %.2f%n", CorpusBleu.score(sources, references).score());
        Evaluator.QualityReport quality = null;
        for (String beamSize : System.getProperty("beams", "1,4").split(",")) {
            int beam = Integer.parseInt(beamSize.trim());
            long d0 = System.nanoTime();
            quality = evaluator.quality(tokenizer, sources, references, DecodeOptions.beam(beam), 64);
            System.out.printf("RUN valid beam %d: BLEU %.2f chrF %.2f (decoded %d sentences in %.1f s)%n",
                    beam, quality.bleu(), quality.chrf(), sources.size(), (System.nanoTime() - d0) / 1e9);
        }
        String out = System.getProperty("out");
        if (out != null) {
            Provenance provenance = Provenance.of(config, training, sha256(Path.of(System.getProperty("train"))),
                    Provenance.UNKNOWN_REVISION, Instant.now());
            ModelStore.save(new TranslationModel(model, bpe, provenance), Path.of(out));
            System.out.println("RUN saved model to " + out);
        }
        for (int i = 0; i < 5; i++) {
            System.out.println("RUN example: " + sources.get(i * 97) + " => " + quality.hypotheses().get(i * 97)
                    + "   [ref: " + references.get(i * 97) + "]");
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String[]> readTsv(Path path) throws IOException {
        List<String[]> pairs = new ArrayList<>();
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            String[] parts = line.split("\t", -1);
            if (parts.length == 2 && !parts[0].isBlank() && !parts[1].isBlank()) {
                pairs.add(new String[] {PreTokenizer.normalize(parts[0]), PreTokenizer.normalize(parts[1])});
            }
        }
        return pairs;
    }
}
