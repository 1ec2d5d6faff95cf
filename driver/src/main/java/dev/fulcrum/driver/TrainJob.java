package dev.fulcrum.driver;

import dev.fulcrum.model.data.TextPair;
import dev.fulcrum.driver.round.TunerDecision;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.driver.data.Vocabularies;
import dev.fulcrum.driver.ingest.CorpusIngest;
import dev.fulcrum.driver.ingest.IngestResult;
import dev.fulcrum.driver.run.CheckpointWriter;
import dev.fulcrum.driver.run.MetricsLog;
import dev.fulcrum.driver.run.RoundProgress;
import dev.fulcrum.driver.run.RunDirectory;
import dev.fulcrum.driver.round.RunException;
import dev.fulcrum.driver.run.RunLock;
import dev.fulcrum.driver.train.DistributedTrainer;
import dev.fulcrum.driver.train.ParameterAveraging;
import dev.fulcrum.driver.train.Parallelism;
import dev.fulcrum.driver.round.RoundListener;
import dev.fulcrum.driver.round.RoundReport;
import dev.fulcrum.driver.round.RoundState;
import dev.fulcrum.driver.data.TrainingData;
import dev.fulcrum.driver.tune.Tuner;
import dev.fulcrum.model.Provenance;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.data.Batcher;
import dev.fulcrum.model.eval.AttentionMaps;
import dev.fulcrum.model.io.AttentionMapFile;
import dev.fulcrum.model.io.ModelStore;
import dev.fulcrum.model.io.SafeFiles;
import dev.fulcrum.model.io.TrainingCheckpoint;
import dev.fulcrum.model.prune.HeadPruning;
import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.text.BpeTokenizer;
import dev.fulcrum.model.train.TrainingStep;
import dev.fulcrum.model.transformer.Transformer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The main job, one straight line: ingest → hold out validation → vocabulary → encode and deal to replicas →
 * rounds of parameter averaging (validation, tuner, checkpoint, metrics after each) → final model. With
 * {@code resume}, the model, optimiser state, step, round and knobs come from the newest good checkpoint
 * and training continues with the next round; everything else is derived again, deterministically.
 */
public final class TrainJob {
    /** Validation pairs whose attention weights are kept for the report's heatmaps. */
    private static final int ATTENTION_MAP_SENTENCES = 3;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper().enable(
                    com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    private final SparkSession spark;
    private final RunConfig config;
    private final RunDirectory run;
    private final PrintStream out;
    private final Tuner tuner;

    /**
     * The trained model, the state and report of the last round (no report when no round was left to run),
     * and example translations.
     */
    public record Result(TranslationModel model, RoundState last, Optional<RoundReport> finalReport,
                         List<Example> examples) {
    }

    /** A validation sentence, its reference and the final model's translation. */
    public record Example(String source, String reference, String translation) {
    }

    /** A job whose tuner is the policy the configuration names ({@code tuner.policy}). */
    public TrainJob(SparkSession spark, RunConfig config, PrintStream out) {
        this(spark, config, out, Tuner.of(config.tuner()));
    }

    /** A job with a tuner of the caller's choice (e.g. {@link Tuner#fixed()}), whatever the configuration says. */
    public TrainJob(SparkSession spark, RunConfig config, PrintStream out, Tuner tuner) {
        this.spark = spark;
        this.config = config;
        this.run = new RunDirectory(Path.of(config.output().dir()));
        this.out = out;
        this.tuner = tuner;
    }

    public Result run(boolean resume) throws IOException {
        try (RunLock lock = RunLock.acquire(run)) {
            return runLocked(resume);
        }
    }

    private Result runLocked(boolean resume) throws IOException {
        Optional<TrainingCheckpoint.Loaded> checkpoint = resume ? resumePoint() : startFresh();
        IngestResult corpus = ingest(config.corpus().train());
        // Split, vocabulary, encoding and fingerprint each read the clean pairs: read and clean them once.
        corpus.pairs().persist(StorageLevel.MEMORY_AND_DISK_SER());
        TrainingData.Split split = split(corpus);
        BpeModel vocabulary = checkpoint.map(c -> c.model().vocabulary())
                .orElseGet(() -> Vocabularies.learn(split.train(), config.vocab()));
        out.printf("vocabulary: %,d tokens%n", vocabulary.vocabulary().size());

        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Parallelism parallelism = Parallelism.of(config.averaging(), context);
        JavaRDD<int[][]> shares = TrainingData.shares(split.train(), context.broadcast(vocabulary),
                parallelism.replicas());
        String fingerprint = TrainingData.fingerprint(corpus.pairs());
        checkpoint.ifPresent(c -> requireSameCorpus(c, fingerprint));
        RoundState start = checkpoint.isPresent() ? resumedState(checkpoint.get())
                : freshState(vocabulary, fingerprint);
        corpus.pairs().unpersist(); // the shares are cached themselves
        Transformer transformer = start.model().transformer();
        DistributedTrainer.Validation validation = validation(split.valid(), vocabulary);
        out.printf("training: %s, %d steps per round, %d rounds, %,d parameters, %d minibatches of ≤ %,d tokens"
                        + " per step%n", parallelism, config.averaging().stepsPerRound(), config.averaging().rounds(),
                transformer.parameters().size(), parallelism.minibatchesPerStep(), config.training().batchTokens());

        ParameterAveraging averaging = ParameterAveraging.over(context, shares, transformer.config(),
                config.training(), parallelism);
        DistributedTrainer.Trained trained;
        try {
            trained = new DistributedTrainer(averaging, config, validation, tuner, listeners(),
                    context.defaultParallelism()).train(start);
        } finally {
            averaging.release();
            shares.unpersist();
        }
        trained.lastReport().ifPresent(this::warnIfWorseThanBest);
        RoundState last = trained.last();
        TranslationModel exported = exported(last.model());
        ModelStore.save(exported, run.model());
        out.println("model saved to " + run.model());
        writeAttentionMaps(last.model(), split.valid());
        return new Result(exported, last, trained.lastReport(), examples(trained.lastReport(), validation));
    }

    /** The model exported is the last round's: say so when an earlier round validated better. */
    private void warnIfWorseThanBest(RoundReport last) {
        if (last.validNll() > last.bestValidNllBefore()) {
            out.printf("warning: the exported model (round %d, validation perplexity %.2f) is worse than the best"
                    + " round's (%.2f, see metrics.jsonl and its checkpoint)%n", last.round(),
                    last.validPerplexity(), Math.exp(last.bestValidNllBefore()));
        }
    }

    /**
     * The inference model: with head gates, the trained model without its closed-gate heads, and within the
     * head budget when one is set (the least open heads go first); without gates, the trained model itself.
     */
    private TranslationModel exported(TranslationModel trained) {
        ModelConfig model = trained.transformer().config();
        if (!model.headGates()) {
            return trained;
        }
        TranslationModel pruned = HeadPruning.prune(trained, config.tuner().pruningRule());
        out.println("pruned heads: " + pruned.prunedHeadsSummary());
        return pruned;
    }

    /** Attention weights of a few validation pairs, every layer and head, for the run report's heatmaps. */
    private void writeAttentionMaps(TranslationModel trained, List<TextPair> validPairs) throws IOException {
        List<TextPair> pairs = validPairs.subList(0, Math.min(ATTENTION_MAP_SENTENCES, validPairs.size()));
        if (!pairs.isEmpty()) {
            AttentionMapFile.write(AttentionMaps.of(trained, pairs.stream().map(TextPair::source).toList(),
                    pairs.stream().map(TextPair::target).toList()), run.attentionMaps());
        }
    }

    private Optional<TrainingCheckpoint.Loaded> resumePoint() throws IOException {
        requireResumableConfig();
        run.recoverInterruptedWrites().forEach(done -> out.println("warning: " + done));
        if (run.checkpointsNewestFirst().isEmpty()) {
            // Stopped after its first metrics line but before its first checkpoint: nothing to lose, start over.
            out.println("warning: the run stopped before its first checkpoint: starting it over");
            new MetricsLog(run.metrics()).truncateAfter(0);
            return Optional.empty();
        }
        Optional<TrainingCheckpoint.Loaded> loaded = run.latestGoodCheckpoint(warning -> out.println("warning: " + warning));
        if (loaded.isEmpty()) {
            throw new RunException("nothing to resume: " + run.checkpoints() + " holds no usable checkpoint");
        }
        int round = loaded.get().state().round();
        for (Path damaged : run.checkpointsNewestFirst()) {
            if (damaged.compareTo(run.checkpoint(round)) > 0) { // newer than the one loaded: damaged
                out.println("warning: moved the damaged checkpoint aside, to " + run.moveAside(damaged));
            }
        }
        out.printf("resuming after round %d (step %d)%n", round, loaded.get().state().step());
        new MetricsLog(run.metrics()).truncateAfter(round);
        return loaded;
    }

    /**
     * A resumed run keeps the keys that decide its data and model ({@link RunConfig#FIXED_FOR_A_RUN}): another
     * seed or split would move training pairs into validation, another model cannot load the checkpoint. Other
     * changes are allowed, and said.
     */
    private void requireResumableConfig() {
        if (!Files.isRegularFile(run.config())) {
            throw new RunException("nothing to resume: " + run.config() + " is missing");
        }
        List<RunConfig.Change> changes = config.changesSince(RunConfig.load(run.config(), List.of()));
        List<RunConfig.Change> fixed = changes.stream().filter(RunConfig.Change::fixed).toList();
        if (!fixed.isEmpty()) {
            throw new RunException("cannot resume with " + fixed + ": the run started with the value before the "
                    + "arrow, and these keys decide its data and model. Start a new run (another --out) instead");
        }
        changes.forEach(change -> out.println("changed on resume: " + change));
    }

    /**
     * The corpus must be the one the run started on (its clean pairs' fingerprint, kept in the model's
     * provenance): another corpus would deal other pairs to validation and training.
     */
    private void requireSameCorpus(TrainingCheckpoint.Loaded checkpoint, String fingerprint) {
        String started = checkpoint.model().provenance().dataFingerprint();
        if (!started.equals(fingerprint)) {
            throw new RunException("cannot resume: the corpus " + config.corpus().train() + " is not the one the run "
                    + "started on (its clean pairs' fingerprint was " + started + ", now " + fingerprint + "). "
                    + "Start a new run (another --out) instead");
        }
    }

    /** A new run never overwrites another run's checkpoints: that run could only be resumed or moved. */
    private Optional<TrainingCheckpoint.Loaded> startFresh() throws IOException {
        if (!run.checkpointsNewestFirst().isEmpty() || Files.exists(run.metrics())) {
            throw new RunException(run.root() + " already holds a run: continue it with --resume, or "
                    + "choose another output directory (--out DIR), or delete it");
        }
        Files.createDirectories(run.root());
        SafeFiles.writeString(run.config(), config.rendered());
        return Optional.empty();
    }

    private IngestResult ingest(String path) throws IOException {
        IngestResult result = CorpusIngest.ingest(spark, path, config.ingest());
        out.println(result.report().summary());
        SafeFiles.writeString(run.ingestReport(), JSON.writeValueAsString(result.report()));
        return result;
    }

    private TrainingData.Split split(IngestResult corpus) throws IOException {
        TrainingData.Split split = splitWithoutCheck(corpus);
        if (split.valid().isEmpty()) {
            // A loss over nothing is 0: the tuner and the divergence guard would see a perfect model.
            throw new RunException("the validation set is empty: " + (config.corpus().valid().isEmpty()
                    ? "split.validFraction = " + config.split().validFraction() + " held out none of the corpus's "
                    + corpus.report().kept() + " pairs; raise it, or give a validation corpus (corpus.valid)"
                    : "corpus.valid " + config.corpus().valid() + " has no usable pairs"));
        }
        return split;
    }

    private TrainingData.Split splitWithoutCheck(IngestResult corpus) throws IOException {
        if (config.corpus().valid().isEmpty()) {
            return TrainingData.holdOut(corpus.pairs(), config.split(), config.training().seed());
        }
        Dataset<Row> valid = CorpusIngest.ingest(spark, config.corpus().valid(), config.ingest()).pairs();
        List<TextPair> pairs = new ArrayList<>();
        for (Row row : valid.collectAsList()) {
            pairs.add(new TextPair(row.getString(0), row.getString(1)));
        }
        return new TrainingData.Split(corpus.pairs(), pairs);
    }

    private RoundState freshState(BpeModel vocabulary, String fingerprint) {
        Transformer transformer = Transformer.initialize(config.model().withVocabSize(vocabulary.vocabulary().size()),
                config.training().seed(), DataType.FLOAT);
        Provenance provenance = Provenance.of(transformer.config(), config.training(), fingerprint,
                GitRevision.current(), Instant.now()).withDecision(1, config.knobs(),
                "initial knobs (configuration); tuner policy " + tuner.policy());
        float[] updater = new float[(int) TrainingStep.updaterStateLength(transformer.parameters().size())];
        return new RoundState(new TranslationModel(transformer, vocabulary, provenance), updater, 0, 0,
                new TunerDecision(config.knobs(), "initial knobs (configuration)"), Double.POSITIVE_INFINITY, 1.0,
                null);
    }

    /**
     * The checkpoint's state; the lowest validation loss so far, which only the tuner needs, is read back from
     * metrics.jsonl (already cut back to the checkpoint's round), so checkpoints need not carry it.
     */
    private RoundState resumedState(TrainingCheckpoint.Loaded checkpoint) throws IOException {
        TrainingCheckpoint.TrainerState state = checkpoint.state();
        return new RoundState(checkpoint.model(), state.updaterState().toFloatVector(), state.round(), state.step(),
                new TunerDecision(state.knobs(), "knobs of the checkpoint"),
                new MetricsLog(run.metrics()).bestValidNll(), state.learningRateScale(), null);
    }

    private DistributedTrainer.Validation validation(List<TextPair> pairs, BpeModel vocabulary) {
        BpeTokenizer tokenizer = new BpeTokenizer(vocabulary);
        List<int[][]> encoded = new ArrayList<>();
        for (TextPair pair : pairs) {
            encoded.add(tokenizer.encodePair(pair.source(), pair.target()));
        }
        Batcher.Batches batches = new Batcher(config.model().maxLength(), config.training().batchTokens())
                .batch(encoded, config.training().seed());
        out.printf("validation: %,d pairs (%,d longer than model.maxLength left out of the loss)%n", pairs.size(),
                batches.droppedTooLong());
        return DistributedTrainer.Validation.of(pairs, batches.batches(), config.eval().bleuSentences());
    }

    private List<RoundListener> listeners() {
        return List.of(new RoundProgress(out, config.averaging().maxMinutes()), new MetricsLog(run.metrics()),
                new CheckpointWriter(run, config.output().keepCheckpoints()));
    }

    /** The first validation translations of the last round (decoded there already), with their sources. */
    private List<Example> examples(Optional<RoundReport> finalReport, DistributedTrainer.Validation validation) {
        List<String> outputs = finalReport.map(RoundReport::translations).orElse(List.of());
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < Math.min(config.eval().examples(), outputs.size()); i++) {
            examples.add(new Example(validation.bleuSources().get(i), validation.bleuReferences().get(i),
                    outputs.get(i)));
        }
        return examples;
    }
}
