package dev.fulcrum.model.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.text.BpeTokenizer;

/**
 * Text in, text out: the one way Fulcrum translates sentences, whether from the command line, a Spark ML
 * {@code transform} or a distributed {@code translate}. Sentences are encoded, decoded by a {@link CorpusDecoder}
 * (length-sorted batches, beam search) and decoded back to text, in input order. A null or blank sentence has no
 * translation (null); a sentence longer than the model accepts is cut to its maximum length and counted, never
 * an error.
 */
public final class SentenceTranslator implements AutoCloseable {
    private final BpeTokenizer tokenizer;
    private final CorpusDecoder decoder;
    private final int maxLength;

    /** Translations in input order (null where the input was null or blank) and how many inputs were cut. */
    public record Translations(List<String> texts, int truncated) {
    }

    /**
     * @param batchSize sentences decoded together
     * @param threads   decoding threads, each with a model copy (1 inside a Spark task, one per core alone)
     */
    public SentenceTranslator(TranslationModel model, DecodeOptions options, int batchSize, int threads) {
        this.tokenizer = new BpeTokenizer(model.vocabulary());
        this.decoder = new CorpusDecoder(model.transformer(), options, batchSize, threads);
        this.maxLength = model.transformer().config().maxLength();
    }

    public Translations translate(List<String> sentences) {
        List<int[]> sources = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        int truncated = 0;
        for (int i = 0; i < sentences.size(); i++) {
            String sentence = sentences.get(i);
            int[] ids = sentence == null ? new int[0] : tokenizer.encode(sentence);
            if (ids.length == 0) {
                continue;
            }
            // The model's positions end at maxLength, end-of-sentence included.
            if (ids.length >= maxLength) {
                ids = Arrays.copyOf(ids, maxLength - 1);
                truncated++;
            }
            sources.add(ids);
            positions.add(i);
        }
        List<String> texts = new ArrayList<>(Collections.nCopies(sentences.size(), (String) null));
        List<int[]> outputs = sources.isEmpty() ? List.of() : decoder.translate(sources);
        for (int k = 0; k < outputs.size(); k++) {
            texts.set(positions.get(k), tokenizer.decode(outputs.get(k)));
        }
        return new Translations(texts, truncated);
    }

    @Override
    public void close() {
        decoder.close();
    }
}
