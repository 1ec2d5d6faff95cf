package dev.fulcrum.model.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import dev.fulcrum.model.transformer.Transformer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/** Length-sorted, multi-threaded corpus decoding gives every sentence the translation it gets alone, in order. */
@TestInstance(Lifecycle.PER_CLASS)
class CorpusDecoderTest {
    private static final DecodeOptions BEAM = DecodeOptions.beam(3);
    private Transformer model;
    private List<int[]> sources;
    private List<int[]> alone;

    @BeforeAll
    void trainTinyModel() {
        TinyTranslationTask task = new TinyTranslationTask().trainedFor(30);
        model = task.model();
        sources = new ArrayList<>();
        for (int i = 0; i < task.sources().size(); i += 23) { // corpus order: lengths mixed
            sources.add(task.sources().get(i));
        }
        BeamSearch search = new BeamSearch(model, BEAM);
        alone = sources.stream().map(source -> search.translate(List.of(source)).get(0)).toList();
    }

    @Test
    void twoThreadsTranslateEverySentenceAsAloneInInputOrder() {
        assertSameAsAlone(2, 3);
    }

    @Test
    void oneThreadWithBatchesOfSortedLengthsTranslatesAsAlone() {
        assertSameAsAlone(1, 4);
    }

    private void assertSameAsAlone(int threads, int batchSize) {
        List<int[]> translated;
        try (CorpusDecoder decoder = new CorpusDecoder(model, BEAM, batchSize, threads)) {
            translated = decoder.translate(sources);
        }
        assertEquals(sources.size(), translated.size());
        for (int i = 0; i < sources.size(); i++) {
            assertArrayEquals(alone.get(i), translated.get(i), "sentence " + i);
        }
    }
}
