package dev.fulcrum.model.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.eval.AttentionMap;

/**
 * Attention maps for the run report as one JSON file:
 * <pre>{"sentences":[{"source":[tokens],"target":[tokens],"layers":{"enc0.self":[[[w, ...], ...], ...], ...}}]}</pre>
 * Each layer holds one matrix per head, one row per query, one column per key (see {@link AttentionMap} for
 * which side is which). Written on one line: indented, every weight would take a line of its own.
 */
public final class AttentionMapFile {
    private static final String WHAT = "an attention-map file";

    record Content(List<Sentence> sentences) {
    }

    record Sentence(List<String> source, List<String> target, Map<String, float[][][]> layers) {
    }

    private AttentionMapFile() {
    }

    public static void write(List<AttentionMap> maps, Path file) throws IOException {
        Json.writeCompact(new Content(maps.stream()
                .map(map -> new Sentence(map.sourceTokens(), map.targetTokens(), map.layers())).toList()), file);
    }

    /**
     * @throws ModelFormatException if the file is not JSON of this layout, holds a null, names an unknown
     *                              layer or has a matrix that does not fit its tokens
     */
    public static List<AttentionMap> read(Path file) throws IOException {
        Content content = Json.read(file, Content.class, WHAT);
        try {
            return content.sentences().stream()
                    .map(sentence -> new AttentionMap(sentence.source(), sentence.target(), sentence.layers()))
                    .toList();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ModelFormatException(file, "is not " + WHAT + ": " + e.getMessage(), e);
        }
    }
}
