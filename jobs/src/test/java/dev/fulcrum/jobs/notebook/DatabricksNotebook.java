package dev.fulcrum.jobs.notebook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A notebook in Databricks' source format, as a workspace exports and imports it: the first line
 * {@code // Databricks notebook source}, cells separated by {@code // COMMAND ----------}, and Markdown cells whose
 * every line starts with {@code // MAGIC}, the first being {@code // MAGIC %md}.
 */
record DatabricksNotebook(Path file, List<Cell> cells) {
    static final String HEADER = "// Databricks notebook source";
    static final String SEPARATOR = "// COMMAND ----------";
    private static final String MAGIC = "// MAGIC";

    /** A cell: its number (1-based, as the workspace shows it), kind and text. */
    record Cell(int number, Kind kind, String text) {
        /** The first line of code or text, to name the cell in a failure. */
        String title() {
            return text.lines().filter(line -> !line.isBlank()).findFirst().orElse("(empty)").trim();
        }
    }

    enum Kind { SCALA, MARKDOWN }

    /** @throws IllegalArgumentException naming the file and cell when the format is not Databricks' */
    static DatabricksNotebook read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (!text.startsWith(HEADER + "\n")) {
            throw new IllegalArgumentException(file + ": the first line must be '" + HEADER + "'");
        }
        List<Cell> cells = new ArrayList<>();
        String[] parts = text.substring(HEADER.length() + 1).split("\n" + SEPARATOR + "\n", -1);
        for (int i = 0; i < parts.length; i++) {
            cells.add(cell(file, i + 1, parts[i].strip()));
        }
        return new DatabricksNotebook(file, cells);
    }

    private static Cell cell(Path file, int number, String text) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + ", cell " + number + ": empty");
        }
        if (!lines.get(0).startsWith(MAGIC)) {
            return new Cell(number, Kind.SCALA, text);
        }
        if (!lines.get(0).equals(MAGIC + " %md")) {
            throw new IllegalArgumentException(file + ", cell " + number + ": a magic cell must be Markdown ("
                    + MAGIC + " %md), found " + lines.get(0));
        }
        StringBuilder markdown = new StringBuilder();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.equals(MAGIC) && !line.startsWith(MAGIC + " ")) {
                throw new IllegalArgumentException(file + ", cell " + number + ": every line of a Markdown cell must "
                        + "start with '" + MAGIC + "', found: " + line);
            }
            markdown.append(line.length() > MAGIC.length() ? line.substring(MAGIC.length() + 1) : "").append('\n');
        }
        return new Cell(number, Kind.MARKDOWN, markdown.toString());
    }
}
