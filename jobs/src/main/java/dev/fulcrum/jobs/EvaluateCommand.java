package dev.fulcrum.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.driver.ingest.CorpusIngest;
import dev.fulcrum.driver.ingest.IngestResult;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.eval.Evaluator;
import dev.fulcrum.model.text.BpeTokenizer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fulcrum evaluate}: loss, BLEU and chrF of a model on a parallel corpus, read and cleaned by the same
 * ingestion as training (any supported format; bad rows skipped and counted).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Score a model on a parallel corpus.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--corpus", required = true, paramLabel = "PATH", description = "parallel corpus, e.g. valid.tsv")
    String corpus;

    @Option(names = "--json", description = "print one JSON object (bleu, chrf, sentences, loss, ...) instead of text")
    boolean json;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "sentences decoded together")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N", description = "decoding threads, each with a model copy"
            + " (default: one per core)")
    Integer threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int decodingThreads = decodingThreads();
        TranslationModel loaded = model.load();
        RunConfig defaults = RunConfig.defaults();
        List<String> sources = new ArrayList<>();
        List<String> references = new ArrayList<>();
        long skipped;
        try (SparkSession spark = Sessions.start(new RunConfig.SparkSettings("local[*]", "fulcrum-evaluate"))) {
            IngestResult result = CorpusIngest.ingest(spark, corpus, defaults.ingest());
            for (Row row : result.pairs().collectAsList()) {
                sources.add(row.getString(0));
                references.add(row.getString(1));
            }
            skipped = result.report().droppedTotal();
        }
        Map<String, Object> scores = score(loaded, sources, references, decodingThreads);
        scores.put("skipped", skipped);
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(scores));
        } else {
            scores.forEach((key, value) -> System.out.println(key + ": " + value));
        }
        return 0;
    }

    private int decodingThreads() {
        int value = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (value < 1 || batchSize < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--threads and --batch-size must be at least 1 (got " + value + " and " + batchSize + ")");
        }
        return value;
    }

    private Map<String, Object> score(TranslationModel loaded, List<String> sources, List<String> references,
                                      int decodingThreads) {
        BpeTokenizer tokenizer = new BpeTokenizer(loaded.vocabulary());
        List<int[][]> encoded = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            encoded.add(tokenizer.encodePair(sources.get(i), references.get(i)));
        }
        Evaluator evaluator = new Evaluator(loaded.transformer());
        Batcher.Batches batches = new Batcher(loaded.transformer().config().maxLength(), 2048).batch(encoded, 1);
        Evaluator.LossReport loss = evaluator.loss(batches.batches());
        long began = System.nanoTime();
        Evaluator.QualityReport quality = evaluator.quality(tokenizer, sources, references, model.decodeOptions(),
                batchSize, decodingThreads);
        double seconds = (System.nanoTime() - began) / 1e9;
        Map<String, Object> scores = new LinkedHashMap<>();
        scores.put("bleu", quality.bleu());
        scores.put("chrf", quality.chrf());
        scores.put("sentences", sources.size());
        scores.put("loss", loss.nll());
        scores.put("perplexity", loss.perplexity());
        scores.put("beam", model.beam);
        scores.put("threads", decodingThreads);
        scores.put("sentencesPerSecond", sources.size() / Math.max(1e-9, seconds));
        scores.put("heads", loaded.remainingHeads());
        return scores;
    }
}
