package dev.fulcrum.jobs;

import dev.fulcrum.model.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fulcrum}: train, translate, evaluate. The same main class runs from {@code bin/fulcrum} and under
 * {@code spark-submit --class dev.fulcrum.jobs.FulcrumCli}. Exit codes: 0 success, 1 failure, 2 bad
 * arguments or configuration (reported before Spark starts).
 */
@Command(name = "fulcrum", mixinStandardHelpOptions = true, version = "fulcrum 0.1.0",
        description = "Distributed training of attention-balanced Transformer translation models on Spark.",
        subcommands = {TrainCommand.class, TranslateCommand.class, EvaluateCommand.class})
public final class FulcrumCli implements Runnable {
    static final int USAGE = CommandLine.ExitCode.USAGE;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new FulcrumCli());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("fulcrum: " + e.getMessage());
                return USAGE;
            }
            commandLine.getErr().println("fulcrum: " + e.getMessage());
            if (!(e instanceof UserFacingException)) {
                e.printStackTrace(commandLine.getErr());
            }
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cli.execute(args);
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
