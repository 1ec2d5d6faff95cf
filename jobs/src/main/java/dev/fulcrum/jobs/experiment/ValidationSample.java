package dev.fulcrum.jobs.experiment;

import dev.fulcrum.model.data.TextPair;
import java.util.ArrayList;
import java.util.List;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.driver.ingest.CorpusIngest;
import dev.fulcrum.driver.data.TrainingData;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The first validation pairs of the runs, in the order training validates them: corpus.valid as read, or the
 * pairs held out of corpus.train by the seeded split (the same for every variant, see {@link EqualCompute}).
 * They are the sources that training's own BLEU sample starts with ({@code eval.bleuSentences}).
 */
record ValidationSample(List<String> sources, List<String> references) {

    static ValidationSample load(SparkSession spark, RunConfig config, int sentences) {
        List<TextPair> pairs = config.corpus().valid().isEmpty()
                ? TrainingData.holdOut(CorpusIngest.ingest(spark, config.corpus().train(), config.ingest()).pairs(),
                        config.split(), config.training().seed()).valid()
                : collect(spark, config);
        List<String> sources = new ArrayList<>();
        List<String> references = new ArrayList<>();
        for (TextPair pair : pairs.subList(0, Math.min(sentences, pairs.size()))) {
            sources.add(pair.source());
            references.add(pair.target());
        }
        return new ValidationSample(sources, references);
    }

    private static List<TextPair> collect(SparkSession spark, RunConfig config) {
        List<TextPair> pairs = new ArrayList<>();
        for (Row row : CorpusIngest.ingest(spark, config.corpus().valid(), config.ingest()).pairs().collectAsList()) {
            pairs.add(new TextPair(row.getString(0), row.getString(1)));
        }
        return pairs;
    }
}
