package dev.fulcrum.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.fulcrum.driver.TrainJob;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.driver.run.RunDirectory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fulcrum train}: the main job. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a translation model with parameter averaging on Spark.",
            "Configuration: built-in defaults < --conf FILE < --set key=value (every key: driver/src/main/resources/fulcrum-defaults.conf)."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--conf", paramLabel = "FILE",
            description = "run configuration (HOCON); bin/fulcrum's default is conf/local.conf")
    Path conf = defaultConf();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one key, e.g. train.rounds=20")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--corpus", paramLabel = "PATH", description = "training corpus (sets corpus.train)")
    String corpus;

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (sets output.dir)")
    String out;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (sets spark.master; spark-submit's own --master wins when launched by it)")
    String master;

    @Option(names = "--resume", description = "continue the run in the output directory from its newest good checkpoint")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        RunConfig config = configuration();
        try (SparkSession spark = Sessions.start(config.spark())) {
            TrainJob.Result result = new TrainJob(spark, config, System.out).run(resume);
            Reports.finish(System.out, result, Path.of(config.output().dir()));
        }
        return 0;
    }

    /** The launcher's default run file (bin/fulcrum sets it), else none: the built-in defaults alone. */
    private static Path defaultConf() {
        String file = System.getProperty("fulcrum.defaultConf");
        return file == null ? null : Path.of(file);
    }

    /** Read and validated before Spark starts, so that a bad key costs nothing but the error message. */
    private RunConfig configuration() {
        List<String> all = new ArrayList<>();
        Path file = conf;
        if (resume) {
            String dir = out != null ? out : RunConfig.load(conf, List.of()).output().dir();
            file = new RunDirectory(Path.of(dir)).config(); // the run continues with what it started with
            all.add(RunConfig.override("output.dir", dir));
        }
        if (corpus != null) {
            all.add(RunConfig.override("corpus.train", corpus));
        }
        if (out != null) {
            all.add(RunConfig.override("output.dir", out));
        }
        if (master != null) {
            all.add(RunConfig.override("spark.master", master));
        }
        all.addAll(overrides);
        return RunConfig.load(file, all);
    }
}
