package dev.fulcrum.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The native-memory and OpenMP settings (docs/benchmarks.md: ~2× per step) are written three times: in
 * bin/native-env (the CLI and scripts), in conf/spark-defaults.conf (executors of a real cluster never source
 * bin/native-env) and in the POM's test environment, which this test JVM runs with. They must agree.
 */
class NativeEnvironmentTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void scriptsClusterExecutorsAndTestsUseTheSameGlibcTunablesAndOpenMpWaitPolicy() throws IOException {
        String script = Files.readString(ROOT.resolve("bin/native-env"));
        String sparkDefaults = Files.readString(ROOT.resolve("conf/spark-defaults.conf"));

        String tunables = find(script, "FULCRUM_GLIBC_TUNABLES=\"([^\"]+)\"");
        assertEquals(tunables, find(sparkDefaults, "spark\\.executorEnv\\.GLIBC_TUNABLES\\s+(\\S+)"), "executors");
        assertEquals(tunables, System.getenv("GLIBC_TUNABLES"), "the tests (pom.xml test.glibcTunables)");

        String waitPolicy = find(script, "OMP_WAIT_POLICY=\"\\$\\{OMP_WAIT_POLICY:-(\\w+)}\"");
        assertEquals("PASSIVE", waitPolicy);
        assertEquals(waitPolicy, find(sparkDefaults, "spark\\.executorEnv\\.OMP_WAIT_POLICY\\s+(\\S+)"), "executors");
        assertEquals(waitPolicy, System.getenv("OMP_WAIT_POLICY"), "the tests (pom.xml)");
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertNotNull(matcher.find() ? matcher.group(1) : null, "no match for " + regex);
        return matcher.group(1);
    }
}
