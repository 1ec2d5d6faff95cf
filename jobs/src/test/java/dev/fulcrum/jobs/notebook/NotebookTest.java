package dev.fulcrum.jobs.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.fulcrum.driver.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

/**
 * Runs every cell of every notebook in {@code notebooks/}, in order, as Databricks would: Scala cells in the Scala
 * 2.12 interpreter (Spark's own Scala version) with Fulcrum on the class path and a local[2] session as
 * {@code spark}; Markdown cells are checked to be Markdown. A failure names the notebook and the cell.
 *
 * <p>Stand-ins for what only Databricks has, defined before the first cell:
 * <ul>
 *   <li>{@code dbutils.widgets.text(name, default, label)} keeps a value the test set for {@code name} (as a job run's
 *       parameters do), else the default; {@code dbutils.widgets.get(name)} returns it.</li>
 *   <li>{@code display(df)} shows the first rows ({@code df.show}); {@code displayHTML(html)} checks that it is an
 *       HTML page and prints its size.</li>
 * </ul>
 */
@Tag("slow")
class NotebookTest {
    private static final Path NOTEBOOKS = Path.of("../notebooks");
    private static final String STAND_INS = """
            object dbutils {
              object widgets {
                private val values = scala.collection.mutable.Map[String, String]()
                def preset(name: String, value: String): Unit = values(name) = value
                def text(name: String, default: String, label: String = ""): Unit = values.getOrElseUpdate(name, default)
                def get(name: String): String =
                  values.getOrElse(name, throw new IllegalArgumentException("no widget " + name))
              }
            }
            def display(df: org.apache.spark.sql.Dataset[_]): Unit = df.show(20, false)
            def displayHTML(html: String): Unit = {
              require(html.startsWith("<!DOCTYPE html>"), "displayHTML: not an HTML page")
              println("displayHTML: " + html.length + " characters")
            }
            val spark = org.apache.spark.sql.SparkSession.builder().getOrCreate()
            """;
    private static SparkSession spark;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("notebook-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void everyCellOfEveryNotebookRuns() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            notebooks = files.filter(f -> f.toString().endsWith(".scala")).sorted().toList();
        }
        assertFalse(notebooks.isEmpty(), "no notebooks in " + NOTEBOOKS);
        for (Path notebook : notebooks) {
            run(DatabricksNotebook.read(notebook), widgets(notebook));
        }
    }

    /** The sample corpus and paths under the test's directory instead of a workspace's volumes; 2 rounds. */
    private static Map<String, String> widgets(Path notebook) throws IOException {
        Path corpus = dir.resolve("corpus.tsv");
        Files.write(corpus, Files.readAllLines(Path.of("../data/sample/en-fr/train.tsv"), StandardCharsets.UTF_8)
                .subList(0, 2000), StandardCharsets.UTF_8);
        String name = notebook.getFileName().toString();
        return Map.of("corpus", corpus.toString(), "runDir", dir.resolve(name + "-run").toString(),
                "modelPath", dir.resolve(name + "-model").toString(), "rounds", "2");
    }

    private static void run(DatabricksNotebook notebook, Map<String, String> widgets) {
        StringWriter transcript = new StringWriter();
        IMain interpreter = interpreter(transcript);
        try {
            interpret(interpreter, transcript, notebook, "stand-ins", STAND_INS);
            widgets.forEach((name, value) -> interpret(interpreter, transcript, notebook, "widget " + name,
                    "dbutils.widgets.preset(\"" + name + "\", \"" + value.replace("\\", "\\\\") + "\")"));
            int scalaCells = 0;
            for (DatabricksNotebook.Cell cell : notebook.cells()) {
                if (cell.kind() == DatabricksNotebook.Kind.MARKDOWN) {
                    assertTrue(cell.text().lines().anyMatch(line -> !line.isBlank()),
                            notebook.file() + ", cell " + cell.number() + ": empty Markdown");
                    continue;
                }
                long start = System.nanoTime();
                interpret(interpreter, transcript, notebook, "cell " + cell.number() + " (" + cell.title() + ")",
                        cell.text());
                scalaCells++;
                System.out.printf("%s, cell %d: %.1f s%n", notebook.file().getFileName(), cell.number(),
                        (System.nanoTime() - start) / 1e9);
            }
            assertTrue(scalaCells > 0, notebook.file() + " has no code");
        } finally {
            interpreter.close();
        }
    }

    private static IMain interpreter(StringWriter transcript) {
        Settings settings = new Settings();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        settings.classpath().value_$eq(classPath);
        return new IMain(settings, new PrintWriter(transcript, true));
    }

    private static void interpret(IMain interpreter, StringWriter transcript, DatabricksNotebook notebook,
                                  String what, String code) {
        int before = transcript.getBuffer().length();
        Results.Result result = interpreter.interpret(code);
        String output = transcript.getBuffer().substring(before);
        System.out.print(output);
        if (result != Results.Success$.MODULE$) {
            fail(notebook.file() + ", " + what + ": " + result + "\n" + output);
        }
    }

    @Test
    void markdownIsCheckedToBeMarkdown() throws IOException {
        Path bad = dir.resolve("bad.scala");
        Files.writeString(bad, DatabricksNotebook.HEADER + "\n// MAGIC %md\n# Title\n\n" + DatabricksNotebook.SEPARATOR
                + "\n\nprintln(1)\n");
        IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DatabricksNotebook.read(bad));
        assertTrue(error.getMessage().contains("cell 1"), error.getMessage());
        Files.writeString(bad, DatabricksNotebook.HEADER + "\n// MAGIC %md\n// MAGIC # Title\n\n"
                + DatabricksNotebook.SEPARATOR + "\n\nprintln(1)\n");
        DatabricksNotebook notebook = DatabricksNotebook.read(bad);
        assertEquals(List.of(DatabricksNotebook.Kind.MARKDOWN, DatabricksNotebook.Kind.SCALA),
                notebook.cells().stream().map(DatabricksNotebook.Cell::kind).toList());
    }
}
