package dev.fulcrum.jobs.cluster;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A tiny Spark application for {@code bin/spark-submit}: sums 0..n-1 in {@code partitions} partitions and
 * prints, per partition, which executor ran it and what that executor's JVM looked like (host, pid, work
 * dir, native-math env, Java 17 flags). {@link LocalClusterTest} submits it and reads the lines:
 *
 * <pre>
 * APP app-20261126181149-0000
 * PROBE partition=0 executor=1 host=127.0.0.1 pid=1234 cwd=/…/worker-2/app-…/1 sum=… coretype=SkylakeX glibc=… opens=true
 * TOTAL 19999000
 * </pre>
 *
 * Arguments: [partitions (2)] [values per partition (10000)].
 */
public final class PartitionProbeJob {

    /** Flag Spark's launcher puts on every executor's command line (JavaModuleOptions). */
    static final String EXECUTOR_OPENS_FLAG = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    private PartitionProbeJob() {
    }

    public static void main(String[] args) throws InterruptedException {
        int partitions = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int perPartition = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        SparkConf conf = new SparkConf().setAppName("fulcrum-partition-probe");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            // Tasks go to whichever executors are registered when the stage starts: wait for all of them,
            // or both partitions may run one after the other on the first executor. (Local mode: the driver runs all.)
            if (!sc.isLocal()) {
                awaitExecutors(sc, partitions, 60_000);
            }
            List<Integer> values = IntStream.range(0, partitions * perPartition).boxed().collect(Collectors.toList());
            List<String> probes = sc.parallelize(values, partitions)
                    .mapPartitionsWithIndex(PartitionProbeJob::probe, false)
                    .collect();
            System.out.println("APP " + sc.sc().applicationId());
            long total = 0;
            for (String probe : probes) {
                System.out.println("PROBE " + probe);
                total += Long.parseLong(probe.replaceAll(".* sum=(\\d+) .*", "$1"));
            }
            System.out.println("TOTAL " + total);
        }
    }

    /** Waits until {@code executors} executors (the driver not counted) have registered. */
    private static void awaitExecutors(JavaSparkContext sc, int executors, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (registeredExecutors(sc) < executors) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("only " + registeredExecutors(sc) + " of " + executors + " executors registered after " + timeoutMillis + " ms");
            }
            Thread.sleep(200);
        }
    }

    /** The status tracker lists the driver too. */
    private static int registeredExecutors(JavaSparkContext sc) {
        return sc.sc().statusTracker().getExecutorInfos().length - 1;
    }

    /** Runs in an executor: one line describing the partition and the JVM that computed it. */
    private static Iterator<String> probe(int partition, Iterator<Integer> values) {
        long sum = 0;
        while (values.hasNext()) {
            sum += values.next();
        }
        SparkEnv env = SparkEnv.get();
        String line = "partition=" + partition
                + " executor=" + env.executorId()
                + " host=" + env.blockManager().blockManagerId().host()
                + " pid=" + ProcessHandle.current().pid()
                + " cwd=" + System.getProperty("user.dir")
                + " sum=" + sum
                + " coretype=" + orDash(System.getenv("OPENBLAS_CORETYPE"))
                + " glibc=" + orDash(System.getenv("GLIBC_TUNABLES"))
                + " opens=" + ManagementFactory.getRuntimeMXBean().getInputArguments().contains(EXECUTOR_OPENS_FLAG);
        return Collections.singletonList(line).iterator();
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
