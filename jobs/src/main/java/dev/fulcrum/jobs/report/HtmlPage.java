package dev.fulcrum.jobs.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * report.html: the page template (report.html beside this class) with the ECharts library and the report's
 * JSON inlined, so that the file works offline and alone. Nothing the data holds can end a script element or
 * become markup: the JSON escapes {@code < > &}, and the page script puts text into the page as text only.
 */
final class HtmlPage {
    private static final String TEMPLATE = "report.html";
    private static final String ECHARTS_VERSION = "/META-INF/maven/org.webjars/echarts/pom.properties";
    private static final String ECHARTS_SCRIPT = "/META-INF/resources/webjars/echarts/%s/echarts.min.js";
    private static final Pattern PLACEHOLDER = Pattern.compile("@@([A-Z]+)@@");
    private static final Pattern SCRIPT_END = Pattern.compile("</(script)", Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private HtmlPage() {
    }

    static String render(JsonNode data) throws IOException {
        return fill(resource(HtmlPage.class, TEMPLATE),
                Map.of("ECHARTS", inlineScript(echarts()), "DATA", json(data)));
    }

    /**
     * Replaces every {@code @@NAME@@} of the template in one pass, so that text substituted for one placeholder
     * is never searched for another.
     *
     * @throws IllegalStateException for a placeholder without a value
     */
    static String fill(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder page = new StringBuilder(template.length());
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for the template's placeholder " + matcher.group());
            }
            matcher.appendReplacement(page, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(page).toString();
    }

    /** JSON that can stand inside a script element: {@code < > &} written as \\u escapes. */
    static String json(JsonNode data) throws JsonProcessingException {
        return JSON.writer(new HtmlSafeEscapes()).writeValueAsString(data);
    }

    /**
     * JavaScript that can stand inside a script element: {@code </script} cannot appear in it, as a string or
     * regular expression may hold it ({@code <\/} means the same there).
     */
    static String inlineScript(String javascript) {
        return SCRIPT_END.matcher(javascript).replaceAll("<\\\\/$1");
    }

    /** The minified ECharts of the webjar on the classpath, found by the version the webjar records. */
    static String echarts() {
        Properties webjar = new Properties();
        try (InputStream in = HtmlPage.class.getResourceAsStream(ECHARTS_VERSION)) {
            if (in == null) {
                throw new IllegalStateException("ECharts is not on the classpath (" + ECHARTS_VERSION + ")");
            }
            webjar.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return resource(HtmlPage.class, String.format(ECHARTS_SCRIPT, webjar.getProperty("version")));
    }

    private static String resource(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jackson's JSON escapes plus the characters that let text end a script element or open markup. */
    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private final int[] escapes = standardAsciiEscapesForJSON();

        HtmlSafeEscapes() {
            for (char c : new char[] {'<', '>', '&'}) {
                escapes[c] = ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
