package dev.fulcrum.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of the fixture run, opened in headless Chromium without network: every chart renders (learning
 * curves, knobs, per-head statistics, heatmaps), no script error, every section there, and no text from the
 * data turned into markup. Chromium's DOM dump after the page's scripts ran shows what the page script set on
 * {@code <body>}. About 5 s.
 */
@Tag("slow")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReportInBrowserTest {
    private static final String CHROMIUM = "chromium";
    /** Enough for a cold start of Chromium under load; the page itself renders in well under a second. */
    private static final long BROWSER_SECONDS = 90;

    private static final int LEARNING_CURVE_CHARTS = 3;
    private static final int KNOB_CHARTS = 1;

    @Test
    void theFixtureReportRendersEveryChartWithoutScriptErrors(@TempDir Path dir) throws Exception {
        Path report = RunReport.write(RunFixture.write(dir.resolve("run")));
        String dom = dumpDom(report, dir.resolve("profile"));

        assertEquals("true", bodyAttribute(dom, "data-rendered"), "the page script ran to its end");
        assertEquals("0", bodyAttribute(dom, "data-errors"), "script errors: " + errorList(dom));
        int statisticCharts = RunFixture.STATISTIC_LAYERS.size() * RunFixture.STATISTICS.size();
        int heatmaps = RunFixture.SENTENCES * RunFixture.LAYERS.size() * RunFixture.HEADS;
        assertEquals(String.valueOf(LEARNING_CURVE_CHARTS + KNOB_CHARTS + statisticCharts + heatmaps),
                bodyAttribute(dom, "data-charts"));
        for (String heading : List.of("Learning curves", "Knobs", "Tuner decisions", "Per-head attention statistics",
                "Heads and pruning", "Attention heatmaps", "Run configuration")) {
            assertTrue(dom.contains("<h2>" + heading + "</h2>"), "heading " + heading);
        }
        assertTrue(dom.contains("<h3>dec0.cross (final model keeps 1 of 2 heads)</h3>"), "pruned layer named");
        assertTrue(dom.contains("<td>dec0.cross</td><td class=\"number\">1</td>"), "head table");
        assertNull(bodyAttribute(dom, "data-pwned"), "a token, a reason or run.conf became a script");
        assertTrue(dom.contains("&lt;/script&gt;&lt;script&gt;"), "the injection shown as text");
    }

    /** The DOM after the page's scripts ran, as Chromium serialises it. */
    private static String dumpDom(Path page, Path profile) throws IOException, InterruptedException {
        Path out = profile.resolveSibling("dom.html");
        Path err = profile.resolveSibling("chromium.log");
        Process chromium;
        try {
            chromium = new ProcessBuilder(CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom",
                    page.toUri().toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("no '" + CHROMIUM + "' on the PATH: install Debian's chromium; .ci/run does", e);
        }
        if (!chromium.waitFor(BROWSER_SECONDS, TimeUnit.SECONDS)) {
            chromium.destroyForcibly().waitFor();
            fail("chromium did not finish in " + BROWSER_SECONDS + " s: " + tail(err));
        }
        assertEquals(0, chromium.exitValue(), "chromium failed: " + tail(err));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String bodyAttribute(String dom, String name) {
        // The element, not the text "<body" that the scripts in <head> may hold.
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
        assertTrue(body.find(Math.max(0, dom.indexOf("</head>"))), "no <body> in the dump: "
                + dom.substring(0, Math.min(500, dom.length())));
        Matcher attribute = Pattern.compile(name + "=\"([^\"]*)\"").matcher(body.group(1));
        return attribute.find() ? attribute.group(1) : null;
    }

    private static String errorList(String dom) {
        Matcher list = Pattern.compile("<ul id=\"errors\"[^>]*>(.*?)</ul>", Pattern.DOTALL).matcher(dom);
        return list.find() ? list.group(1) : "(no error list)";
    }

    private static String tail(Path log) throws IOException {
        String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        return text.substring(Math.max(0, text.length() - 2000));
    }
}
