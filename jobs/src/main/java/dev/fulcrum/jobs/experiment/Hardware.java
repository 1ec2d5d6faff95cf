package dev.fulcrum.jobs.experiment;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine an experiment ran on, in one line: its figures mean little without it. */
final class Hardware {
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    private static final double GIB = 1024.0 * 1024 * 1024;

    private Hardware() {
    }

    /** E.g. "2 cores, Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz, 23.5 GiB memory, JVM heap up to 6.0 GiB". */
    static String describe() {
        return String.format(Locale.ROOT, "%d cores, %s, %.1f GiB memory, JVM heap up to %.1f GiB",
                Runtime.getRuntime().availableProcessors(), cpuModel(), memoryBytes() / GIB,
                Runtime.getRuntime().maxMemory() / GIB);
    }

    /** The "model name" of /proc/cpuinfo (Linux), else the architecture. */
    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(CPU_INFO, StandardCharsets.UTF_8)) {
                if (line.startsWith("model name") && line.contains(":")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux: the architecture below is all there is
        }
        return System.getProperty("os.arch");
    }

    private static long memoryBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
