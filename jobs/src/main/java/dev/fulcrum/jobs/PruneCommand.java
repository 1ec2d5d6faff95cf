package dev.fulcrum.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.config.ConfigException;
import dev.fulcrum.model.io.ModelStore;
import dev.fulcrum.model.prune.HeadPruning;
import dev.fulcrum.model.prune.PruningRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fulcrum prune}: an inference model from a gated one (a checkpoint's {@code model}, whose heads still
 * carry their gates) at any head budget, without retraining. {@code train} exports one budget; this gives the
 * others, e.g. to trade quality for decoding speed on one trained model. No Spark.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Remove a gated model's closed heads, and the least open ones down to a head budget.")
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "a model trained with head gates, e.g. runs/latest/checkpoints/round-000030/model")
    Path gatedDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the pruned model goes")
    Path outDir;

    @Option(names = "--budget", paramLabel = "F", defaultValue = "1.0",
            description = "fraction of the heads that may stay, in (0, 1]; 1 removes only closed heads (default ${DEFAULT-VALUE})")
    double budget;

    @Option(names = "--scope", paramLabel = "S", defaultValue = "global",
            description = "what the budget counts over: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    PruningRule.Scope scope;

    @Override
    public Integer call() throws IOException {
        PruningRule rule = rule();
        TranslationModel gated = ModelOptions.load(gatedDir);
        TranslationModel pruned;
        try {
            pruned = HeadPruning.prune(gated, rule);
        } catch (IllegalArgumentException e) {
            throw new FulcrumCli.UserFacingException("cannot prune the model in " + gatedDir + ": " + e.getMessage(), e);
        }
        ModelStore.save(pruned, outDir);
        System.out.println("pruned heads: " + pruned.prunedHeadsSummary());
        System.out.println("model saved to " + outDir);
        return 0;
    }

    /** The rule, checked before the model is read; a bad budget is a usage error naming the option. */
    private PruningRule rule() {
        try {
            return new PruningRule(budget, scope);
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), "--budget = " + budget + ": a number in (0, 1]");
        }
    }
}
