package dev.fulcrum.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page: ECharts and the data inlined, and no text from the data able to end a script or become markup. */
class HtmlPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NASTY = "</SCRIPT><script>alert(1)</script><!-- \"quotes\" 'single' & \u2028";

    @Test
    void jsonForAScriptElementHasNoAngleBracketsAndReadsBackTheSame() throws Exception {
        ObjectNode data = JSON.createObjectNode().put("token", NASTY);
        String json = HtmlPage.json(data);
        assertFalse(json.contains("<") || json.contains(">") || json.contains("&"), json);
        assertEquals(data, JSON.readTree(json));
    }

    @Test
    void inlinedScriptCannotCloseItsElement() {
        assertEquals("var s = '<\\/script>' + '<\\/SCRIPT >';",
                HtmlPage.inlineScript("var s = '</script>' + '</SCRIPT >';"));
    }

    @Test
    void placeholdersAreFilledInOnePassAndAnUnknownOneIsAnError() {
        assertEquals("a @@B@@ b x", HtmlPage.fill("a @@A@@ b @@B@@", Map.of("A", "@@B@@", "B", "x")));
        assertThrows(IllegalStateException.class, () -> HtmlPage.fill("@@NOPE@@", Map.of()));
    }

    @Test
    void echartsComesFromTheClasspath() {
        String library = HtmlPage.echarts();
        assertTrue(library.length() > 500_000, "the minified library, " + library.length() + " characters");
        assertTrue(library.contains("echarts"));
    }

    @Test
    void thePageOfTheFixtureRunOpensOnlyItsOwnScriptsAndCarriesTheDataIntact(@TempDir Path dir) throws Exception {
        JsonNode data = ReportModel.read(RunFixture.write(dir));
        String page = HtmlPage.render(data);
        assertEquals(4, count(page, "(?i)<script"), "the error hook, ECharts, the data, the page script");
        assertEquals(4, count(page, "(?i)</script"));
        assertFalse(page.contains("@@"), "every placeholder filled");
        Matcher embedded = Pattern.compile("id=\"report-data\">(.*?)</script>", Pattern.DOTALL).matcher(page);
        assertTrue(embedded.find());
        assertEquals(data, JSON.readTree(embedded.group(1)));
    }

    private static int count(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }
}
