package dev.fulcrum.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the scripts users run: {@code bin/local-cluster start} brings up a Master and two
 * Workers, {@code bin/spark-submit} runs {@link PartitionProbeJob} (2 partitions) on them, and
 * {@code bin/local-cluster stop} leaves no JVM behind. About 40 s on a busy 2-core machine (+15 s when
 * target/spark-home is assembled first); the timeout bounds it, and the cluster is stopped even on failure.
 */
@Tag("slow")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LocalClusterTest {

    private static final int WORKERS = 2;

    @Test
    void twoWorkersEachRunOnePartitionAndStopLeavesNothing(@TempDir Path tmp) throws Exception {
        Path jar = appJar(PartitionProbeJob.class, tmp.resolve("probe.jar"));
        List<Integer> ports;
        List<Long> pids = new ArrayList<>();
        long t0 = System.nanoTime();
        long started;
        long submitted;
        long stopping;
        try (LocalCluster cluster = LocalCluster.start(Path.of("target", "local-cluster"), WORKERS)) {
            started = System.nanoTime();
            ports = cluster.ports();
            pids.addAll(cluster.daemonPids());
            assertEquals(WORKERS, cluster.aliveWorkers().size(), "workers ALIVE at " + cluster.masterWebUi());

            LocalCluster.Submission run = cluster.submit(Duration.ofSeconds(150),
                    "--class", PartitionProbeJob.class.getName(), jar.toString(), "2", "10000");
            submitted = System.nanoTime();
            assertEquals(0, run.exitCode(), run::describe);
            List<Map<String, String>> probes = probes(run.stdout());
            pids.addAll(probes.stream().map(p -> Long.parseLong(p.get("pid"))).toList());

            assertEquals(Set.of("0", "1"), values(probes, "partition"), run::describe);
            assertEquals(2, values(probes, "executor").size(), "two executors did the work\n" + run.describe());
            assertEquals(2, probes.stream().map(p -> Path.of(p.get("cwd")).getParent().getParent()).distinct().count(),
                    "executors in two Workers' work dirs\n" + run.describe());
            assertEquals("TOTAL " + (20_000L * 19_999 / 2), line(run.stdout(), "TOTAL "), run::describe);
            for (Map<String, String> probe : probes) {
                assertEquals("127.0.0.1", probe.get("host"), run::describe);
                assertEquals("true", probe.get("opens"), "executors get Java 17 flags from Spark\n" + run.describe());
                // Nothing passed spark.executorEnv.*: the executors inherited these from their Worker.
                assertEquals(nativeCoreType(), probe.get("coretype"), run::describe);
                assertTrue(probe.get("glibc").contains("glibc.malloc.mmap_threshold"), run::describe);
            }

            String appId = line(run.stdout(), "APP ").substring("APP ".length());
            assertTrue(cluster.completedApps().contains(appId), appId + " listed as completed");
            List<LocalCluster.ExecutorRun> executors = cluster.finishedExecutors(appId, 2, Duration.ofSeconds(20));
            assertEquals(2, executors.stream().map(LocalCluster.ExecutorRun::workerId).distinct().count(),
                    "the Workers report one executor each: " + executors);
            stopping = System.nanoTime();
        }
        System.out.printf("LocalClusterTest: start %.1f s, spark-submit %.1f s, stop %.1f s%n", (started - t0) / 1e9,
                (submitted - started) / 1e9, (System.nanoTime() - stopping) / 1e9);

        for (int port : ports) {
            assertFalse(LocalCluster.isListening(port), "port " + port + " still open after stop");
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still alive after stop");
        }
    }

    /** The PROBE lines as key=value maps. */
    private static List<Map<String, String>> probes(List<String> stdout) {
        return stdout.stream()
                .filter(l -> l.startsWith("PROBE "))
                .map(l -> Arrays.stream(l.substring("PROBE ".length()).split(" "))
                        .map(kv -> kv.split("=", 2))
                        .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1])))
                .toList();
    }

    private static Set<String> values(List<Map<String, String>> probes, String key) {
        return probes.stream().map(p -> p.get(key)).collect(Collectors.toSet());
    }

    private static String line(List<String> stdout, String prefix) {
        return stdout.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no " + prefix.trim() + " line)");
    }

    /** What bin/native-env derives on this machine ("-" when nothing: the probe's mark for unset). */
    private static String nativeCoreType() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", LocalCluster.repoRoot().resolve("bin/native-env").toString(), "--coretype")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor());
        return out.isEmpty() ? "-" : out;
    }

    /** A jar of {@code main} and its nested classes, from the test classes dir: the application to submit. */
    private static Path appJar(Class<?> main, Path jar) throws IOException, URISyntaxException {
        Path classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path pkg = classes.resolve(main.getPackageName().replace('.', '/'));
        try (Stream<Path> files = Files.list(pkg);
             OutputStream out = Files.newOutputStream(jar);
             JarOutputStream jarOut = new JarOutputStream(out)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(main.getSimpleName())).toList()) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                Files.copy(file, jarOut);
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
