package dev.fulcrum.jobs;

import dev.fulcrum.driver.ingest.CorpusException;
import dev.fulcrum.driver.round.RunException;
import dev.fulcrum.model.config.ConfigException;
import dev.fulcrum.model.io.ModelFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fulcrum}: train, translate, evaluate, report, experiment, prune. The same main class runs from {@code bin/fulcrum}
 * and under {@code spark-submit --class dev.fulcrum.jobs.FulcrumCli}. Exit codes: 0 success, 1 failure, 2 bad
 * arguments or configuration (reported before Spark starts).
 */
@Command(name = "fulcrum", mixinStandardHelpOptions = true, version = "fulcrum 0.1.0",
        description = "Distributed training of attention-balanced Transformer translation models on Spark.",
        subcommands = {TrainCommand.class, TranslateCommand.class, EvaluateCommand.class, ReportCommand.class,
            ExperimentCommand.class, PruneCommand.class})
public final class FulcrumCli implements Runnable {
    static final int USAGE = CommandLine.ExitCode.USAGE;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new FulcrumCli()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            // An experiment wraps a variant's configuration error to name the variant: still a configuration error.
            if (e instanceof ConfigException || e.getCause() instanceof ConfigException) {
                commandLine.getErr().println("fulcrum: " + e.getMessage());
                return USAGE;
            }
            Throwable explained = userFacingCause(e);
            if (explained != null) {
                commandLine.getErr().println("fulcrum: " + explained.getMessage());
            } else {
                commandLine.getErr().println("fulcrum: " + e.getMessage());
                e.printStackTrace(commandLine.getErr());
            }
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cli.execute(args);
    }

    /**
     * The failure in {@code e}'s cause chain whose message says everything the user needs (bad corpus,
     * occupied or empty run directory, damaged model), or null for a bug, which gets its stack trace. The
     * chain is searched because Spark wraps what its tasks throw (e.g. a corrupt .mo file) in its own exception.
     */
    private static Throwable userFacingCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UserFacingException || cause instanceof CorpusException
                    || cause instanceof RunException || cause instanceof ModelFormatException) {
                return cause;
            }
        }
        return null;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** A failure whose message says everything the user needs (no stack trace). */
    static final class UserFacingException extends RuntimeException {
        UserFacingException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
