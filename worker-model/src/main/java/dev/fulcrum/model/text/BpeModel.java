package dev.fulcrum.model.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A learned BPE model: the vocabulary and the merges in rank order (rank = list index, lowest applied first).
 * Use {@link BpeTokenizer} to encode and decode with it.
 */
public record BpeModel(Vocabulary vocabulary, List<Merge> merges) implements java.io.Serializable {

    /** @throws IllegalArgumentException if the vocabulary lacks the word-start marker or a merge's tokens */
    public BpeModel {
        merges = List.copyOf(merges);
        if (!vocabulary.contains(Symbols.MARKER)) {
            throw new IllegalArgumentException("the vocabulary lacks the word-start marker " + Symbols.MARKER);
        }
        for (int rank = 0; rank < merges.size(); rank++) {
            requireLearnedTokens(vocabulary, rank, merges.get(rank));
        }
    }

    /** Writes the model as JSON (format described in {@link BpeModelFile}). */
    public void save(Path file) throws IOException {
        BpeModelFile.write(this, file);
    }

    /**
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if the file is not a valid model file; the message names the file
     */
    public static BpeModel load(Path file) throws IOException {
        return BpeModelFile.read(file);
    }

    private static void requireLearnedTokens(Vocabulary vocabulary, int rank, Merge merge) {
        for (String token : List.of(merge.left(), merge.right(), merge.result())) {
            if (vocabulary.id(token) < Vocabulary.FIRST_LEARNED_ID) {
                throw new IllegalArgumentException("merge " + rank + " ('" + merge.left() + "' + '" + merge.right()
                        + "'): '" + token + "' is not a learned token of the vocabulary");
            }
        }
    }
}
