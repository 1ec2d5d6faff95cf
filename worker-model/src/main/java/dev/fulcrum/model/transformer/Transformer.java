package dev.fulcrum.model.transformer;

import dev.fulcrum.model.parameters.Parameters;
import java.io.OutputStream;
import java.io.PrintStream;

import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.transformer.TransformerGraph.Mode;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A Transformer's parameters and the graphs that use them. Graphs are built once and reused for every
 * minibatch (the training step never rebuilds or re-initialises anything); all share one flat parameter
 * vector, so an update, an average or a load is seen by every graph at once.
 */
public final class Transformer {
    private final ModelConfig config;
    private final HeadPlan headPlan;
    private final Parameters parameters;
    private final GraphFeeds feeds;
    private final SameDiff trainingGraph;
    private SameDiff evaluationGraph;
    private SameDiff encoderGraph;
    private SameDiff decoderGraph;
    private SameDiff stepGraph;

    private Transformer(ModelConfig config, HeadPlan headPlan, DataType type, long seed) {
        this.config = config;
        this.headPlan = headPlan;
        this.parameters = new Parameters(type, seed);
        parameters.seedInitialisers();
        this.trainingGraph = TransformerGraph.build(config, parameters, Mode.TRAIN, headPlan);
        parameters.seal(trainingGraph);
        // SameDiff runs gradients in a separate "grad" graph holding its own copies of the variable arrays:
        // create it now and point it at the shared views too, or it would never see an update.
        withoutStdout(trainingGraph::createGradFunction);
        trainingGraph.getFunction("grad").setEnableCache(false);
        parameters.attach(trainingGraph.getFunction("grad"));
        this.feeds = new GraphFeeds(config, parameters);
    }

    /**
     * Runs {@code action} with System.out discarded: SameDiff M2.1 prints one "Added differentiated op"
     * line per op (~1,300 for the base model) with a hard-coded println while building the gradient graph.
     */
    private static synchronized void withoutStdout(Runnable action) {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            action.run();
        } finally {
            System.setOut(stdout);
        }
    }

    /** A freshly initialised model; the same seed gives the same parameters. */
    public static Transformer initialize(ModelConfig config, long seed, DataType type) {
        return new Transformer(config, HeadPlan.FULL, type, seed);
    }

    /** A freshly initialised model with the heads of {@code headPlan}, e.g. to load a pruned model into. */
    public static Transformer initialize(ModelConfig config, HeadPlan headPlan, long seed, DataType type) {
        return new Transformer(config, headPlan, type, seed);
    }

    public ModelConfig config() {
        return config;
    }

    public HeadPlan headPlan() {
        return headPlan;
    }

    public Parameters parameters() {
        return parameters;
    }

    public GraphFeeds feeds() {
        return feeds;
    }

    public SameDiff trainingGraph() {
        return trainingGraph;
    }

    public synchronized SameDiff evaluationGraph() {
        if (evaluationGraph == null) {
            evaluationGraph = attached(Mode.EVAL);
        }
        return evaluationGraph;
    }

    public synchronized SameDiff encoderGraph() {
        if (encoderGraph == null) {
            encoderGraph = attached(Mode.ENCODE);
        }
        return encoderGraph;
    }

    /** The cached incremental decoder step beam search runs (see {@link Mode#CACHED_STEP}). */
    public synchronized SameDiff stepGraph() {
        if (stepGraph == null) {
            stepGraph = attached(Mode.CACHED_STEP);
        }
        return stepGraph;
    }

    /** The whole-prefix decoder step, the uncached reference of {@link #stepGraph} (see {@link Mode#PREFIX_STEP}). */
    public synchronized SameDiff decoderGraph() {
        if (decoderGraph == null) {
            decoderGraph = attached(Mode.PREFIX_STEP);
        }
        return decoderGraph;
    }

    private SameDiff attached(Mode mode) {
        SameDiff sd = TransformerGraph.build(config, parameters, mode, headPlan);
        parameters.attach(sd);
        return sd;
    }
}
