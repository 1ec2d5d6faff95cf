package dev.fulcrum.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** UTF-8 text from a file or stdin ("-"), to a file or stdout ("-"). */
final class TextFiles {
    private TextFiles() {
    }

    static BufferedReader reader(String name) throws IOException {
        return "-".equals(name) ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(name), StandardCharsets.UTF_8);
    }

    static PrintWriter writer(String name) throws IOException {
        if (!"-".equals(name)) {
            return new PrintWriter(Files.newBufferedWriter(Path.of(name), StandardCharsets.UTF_8));
        }
        return new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                flush(); // stdout belongs to the process, not to this command
            }
        };
    }
}
