package dev.fulcrum.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests, driven through the scripts users run:
 * {@code bin/local-cluster start|stop} and {@code bin/spark-submit}. Each instance gets its own cluster dir
 * (pid files, logs, Worker work dirs) and free ports, so it never touches a cluster someone started by hand
 * on the default ports. {@link #close()} stops every JVM it started; a shutdown hook does the same if the
 * test JVM is terminated (surefire's fork timeout) before it gets there.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.start(Path.of("target/local-cluster"), 2)) {
 *     Submission run = cluster.submit(Duration.ofMinutes(2), "--class", Main.class.getName(), jar.toString());
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    /** Start-up waits inside the script; this only guards a hung script (plus a first SPARK_HOME assembly). */
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path repoRoot;
    private final Path clusterDir;
    private final int workers;
    private final int masterPort;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread shutdownHook = new Thread(this::stopQuietly, "local-cluster-stop");
    private boolean closed;

    /** A Worker as the Master reports it. */
    public record Worker(String id, String host, int port, URI webUi, int cores, int memoryMb, String state) {
    }

    /** One executor of an application, as its Worker reports it. */
    public record ExecutorRun(String appId, int executorId, String workerId) {
    }

    /**
     * What a script run ({@code bin/spark-submit}, {@code bin/fulcrum}) left: exit code, its stdout, and where
     * its stderr (for spark-submit: the driver's log) went.
     */
    public record Submission(String script, int exitCode, List<String> stdout, Path stderr, Duration took) {
        /** For assertion messages: the exit code, stdout and the end of the log. */
        public String describe() {
            return script + " exit " + exitCode + " after " + took.toSeconds() + " s\n--- stdout\n"
                    + String.join("\n", stdout) + "\n--- last lines of " + stderr + "\n" + tail(stderr, 40);
        }
    }

    private LocalCluster(Path repoRoot, Path clusterDir, int workers, int firstPort) {
        this.repoRoot = repoRoot;
        this.clusterDir = clusterDir;
        this.workers = workers;
        this.masterPort = firstPort;
        Map<String, String> e = new TreeMap<>();
        e.put("FULCRUM_CLUSTER_DIR", clusterDir.toString());
        e.put("FULCRUM_WORKERS", Integer.toString(workers));
        e.put("FULCRUM_MASTER_PORT", Integer.toString(firstPort));
        e.put("FULCRUM_MASTER_WEBUI_PORT", Integer.toString(firstPort + 1));
        e.put("FULCRUM_WORKER_WEBUI_PORT", Integer.toString(firstPort + 2));
        this.env = Map.copyOf(e);
    }

    /**
     * Starts {@code workers} Workers (1 core, 4g each: the script's defaults) and a Master on free ports, and
     * returns once the Master reports them all ALIVE. Fails with the script's output (log tails) otherwise.
     */
    public static LocalCluster start(Path clusterDir, int workers) throws IOException, InterruptedException {
        LocalCluster cluster = new LocalCluster(repoRoot(), clusterDir.toAbsolutePath(), workers,
                freeConsecutivePorts(workers + 2));
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            // The script empties the cluster dir on start: its own output goes beside it.
            Files.createDirectories(cluster.clusterDir.getParent());
            Path log = cluster.scriptLog("start");
            int exit = cluster.script(log, "bin/local-cluster", "start");
            if (exit != 0) {
                throw new IllegalStateException("bin/local-cluster start failed (exit " + exit + "):\n" + Files.readString(log));
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The repository root: the nearest directory above the working directory that has bin/local-cluster. */
    public static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin/local-cluster"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no bin/local-cluster above " + Path.of("").toAbsolutePath());
    }

    public String masterUrl() {
        return "spark://" + HOST + ":" + masterPort;
    }

    public URI masterWebUi() {
        return URI.create("http://" + HOST + ":" + (masterPort + 1));
    }

    public Path clusterDir() {
        return clusterDir;
    }

    /** Every port this cluster listens on by configuration: Master RPC, Master UI, the Workers' UIs. */
    public List<Integer> ports() {
        return IntStream.range(masterPort, masterPort + workers + 2).boxed().collect(Collectors.toList());
    }

    /** The pids of the Master and Worker JVMs, from the script's pid files. */
    public List<Long> daemonPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        try (var files = Files.list(clusterDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).sorted().toList()) {
                pids.add(Long.parseLong(Files.readString(file).trim()));
            }
        }
        return pids;
    }

    /** The Master's state, {@code /json/}: workers, aliveworkers, activeapps, completedapps, ... */
    public JsonNode masterState() throws IOException, InterruptedException {
        return getJson(masterWebUi().resolve("/json/"));
    }

    /** The Workers the Master reports in state ALIVE. */
    public List<Worker> aliveWorkers() throws IOException, InterruptedException {
        List<Worker> alive = new ArrayList<>();
        for (JsonNode w : masterState().path("workers")) {
            if ("ALIVE".equals(w.path("state").asText())) {
                alive.add(new Worker(w.path("id").asText(), w.path("host").asText(), w.path("port").asInt(),
                        URI.create(w.path("webuiaddress").asText()), w.path("cores").asInt(),
                        w.path("memory").asInt(), w.path("state").asText()));
            }
        }
        return alive;
    }

    /** The finished applications' ids, as the Master lists them. */
    public List<String> completedApps() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        masterState().path("completedapps").forEach(app -> ids.add(app.path("id").asText()));
        return ids;
    }

    /**
     * The executors that ran a finished application and on which Worker: the Master's JSON has no
     * executors, each Worker's {@code /json/} lists its {@code finishedexecutors}. A Worker files an executor
     * there once it has been killed after the application ended, so this waits up to {@code timeout} for
     * {@code expected} of them.
     */
    public List<ExecutorRun> finishedExecutors(String appId, int expected, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ExecutorRun> runs = new ArrayList<>();
            for (Worker worker : aliveWorkers()) {
                for (JsonNode ex : getJson(worker.webUi().resolve("/json/")).path("finishedexecutors")) {
                    if (appId.equals(ex.path("appid").asText())) {
                        runs.add(new ExecutorRun(appId, ex.path("id").asInt(), worker.id()));
                    }
                }
            }
            if (runs.size() >= expected || System.nanoTime() > deadline) {
                return runs;
            }
            Thread.sleep(250);
        }
    }

    /**
     * Runs {@code bin/spark-submit --master <this cluster> args...} (client mode: the driver is the
     * spark-submit JVM) and waits for it; the driver's stderr (Spark's log) goes to a file in the cluster dir.
     */
    public Submission submit(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bin/spark-submit", "--master", masterUrl()));
        command.addAll(List.of(args));
        return run(timeout, command);
    }

    /**
     * Runs a repository script (e.g. {@code bin/fulcrum evaluate ...}) from the repository root and waits for
     * it; its stderr goes to a file in the cluster dir.
     */
    public Submission run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        String script = Path.of(command.get(0)).getFileName().toString();
        Path stdout = Files.createTempFile(clusterDir, script + "-", ".out");
        Path stderr = Path.of(stdout.toString().replaceAll("\\.out$", ".log"));
        ProcessBuilder pb = processBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        long started = System.nanoTime();
        int exit = waitFor(pb.start(), timeout, String.join(" ", command));
        return new Submission(script, exit, Files.readAllLines(stdout), stderr,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Starts {@code bin/spark-submit --master <this cluster> args...} without waiting: for tests that act on
     * the cluster while the application runs. Output and log go to {@code stdout} and {@code stderr}.
     */
    public Process launch(Path stdout, Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bin/spark-submit", "--master", masterUrl()));
        command.addAll(List.of(args));
        return processBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    }

    /** The executor JVMs the Workers have launched (children of the Worker daemons). */
    public List<ProcessHandle> executorProcesses() throws IOException {
        List<ProcessHandle> executors = new ArrayList<>();
        for (long pid : daemonPids()) {
            ProcessHandle.of(pid).ifPresent(daemon -> daemon.descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .forEach(executors::add));
        }
        return executors;
    }

    /** True when something accepts connections on 127.0.0.1:{@code port}. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops every JVM of this cluster ({@code bin/local-cluster stop}); safe to call twice. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: stopping twice is harmless
        }
        Path log = scriptLog("stop");
        int exit = script(log, "bin/local-cluster", "stop");
        if (exit != 0) {
            throw new IllegalStateException("bin/local-cluster stop failed (exit " + exit + "):\n" + Files.readString(log));
        }
    }

    private Path scriptLog(String command) {
        return clusterDir.resolveSibling(clusterDir.getFileName() + "-" + command + ".log");
    }

    private void stopQuietly() {
        try {
            close();
        } catch (Exception e) {
            System.err.println("LocalCluster: stopping " + clusterDir + " failed: " + e);
        }
    }

    /** Runs a repository script with this cluster's environment; its stdout and stderr go to {@code log}. */
    private int script(Path log, String... command) throws IOException, InterruptedException {
        Process process = processBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return waitFor(process, SCRIPT_TIMEOUT, String.join(" ", command));
    }

    private ProcessBuilder processBuilder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(repoRoot.toFile());
        pb.environment().putAll(env);
        return pb;
    }

    private static int waitFor(Process process, Duration timeout, String what) throws InterruptedException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(what + " did not finish within " + timeout.toSeconds() + " s");
            }
            return process.exitValue();
        } finally {
            // Timed out or interrupted (JUnit's @Timeout): the script must not outlive the test.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private JsonNode getJson(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    /**
     * {@code count} consecutive free ports on 127.0.0.1 (the script numbers the Workers' UI ports from a
     * base). Free now, not reserved: another process may take one before the cluster binds it.
     */
    static int freeConsecutivePorts(int count) throws IOException {
        InetAddress loopback = InetAddress.getByName(HOST);
        for (int attempt = 0; attempt < 50; attempt++) {
            List<ServerSocket> held = new ArrayList<>();
            try {
                ServerSocket first = new ServerSocket(0, 1, loopback);
                held.add(first);
                int base = first.getLocalPort();
                if (base + count > 65_536) {
                    continue;
                }
                for (int port = base + 1; port < base + count; port++) {
                    held.add(new ServerSocket(port, 1, loopback));
                }
                return base;
            } catch (IOException taken) {
                // one of the following ports is in use: try another base
            } finally {
                for (ServerSocket socket : held) {
                    socket.close();
                }
            }
        }
        throw new IOException("no " + count + " consecutive free ports on " + HOST);
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
