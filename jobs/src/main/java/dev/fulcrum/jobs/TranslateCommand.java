package dev.fulcrum.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.decode.BeamSearch;
import dev.fulcrum.model.decode.DecodeOptions;
import dev.fulcrum.model.text.BpeTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fulcrum translate}: one line in, one line out, in order; batched for speed. No Spark. */
@Command(name = "translate", mixinStandardHelpOptions = true, description = "Translate lines with a trained model.")
final class TranslateCommand implements Callable<Integer> {
    private static final int BATCH = 32;

    @Mixin
    ModelOptions model;

    @Option(names = "--input", paramLabel = "FILE|-", defaultValue = "-", description = "source lines (default stdin)")
    String input;

    @Option(names = "--output", paramLabel = "FILE|-", defaultValue = "-", description = "translations (default stdout)")
    String output;

    @Override
    public Integer call() throws IOException {
        TranslationModel loaded = model.load();
        DecodeOptions options = model.decodeOptions();
        BeamSearch search = new BeamSearch(loaded.transformer(), options);
        BpeTokenizer tokenizer = new BpeTokenizer(loaded.vocabulary());
        int maxLength = loaded.transformer().config().maxLength();
        try (BufferedReader in = TextFiles.reader(input); PrintWriter out = TextFiles.writer(output)) {
            List<String> batch = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                batch.add(line);
                if (batch.size() == BATCH) {
                    translate(batch, search, tokenizer, maxLength).forEach(out::println);
                    batch.clear();
                }
            }
            translate(batch, search, tokenizer, maxLength).forEach(out::println);
        }
        return 0;
    }

    /** Empty lines stay empty lines; sources longer than the model accepts are cut to its maximum length. */
    static List<String> translate(List<String> lines, BeamSearch search, BpeTokenizer tokenizer, int maxLength) {
        List<int[]> sources = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int[] ids = tokenizer.encode(lines.get(i));
            if (ids.length > 0) {
                sources.add(ids.length < maxLength ? ids : java.util.Arrays.copyOf(ids, maxLength - 1));
                positions.add(i);
            }
        }
        List<String> translations = new ArrayList<>(java.util.Collections.nCopies(lines.size(), ""));
        if (!sources.isEmpty()) {
            List<int[]> outputs = search.translate(sources);
            for (int k = 0; k < outputs.size(); k++) {
                translations.set(positions.get(k), tokenizer.decode(outputs.get(k)));
            }
        }
        return translations;
    }
}
