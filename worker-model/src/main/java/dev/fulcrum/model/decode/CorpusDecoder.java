package dev.fulcrum.model.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.fulcrum.model.concurrent.NativeThreads;
import dev.fulcrum.model.concurrent.Threads;
import dev.fulcrum.model.transformer.Transformer;

/**
 * Translates a whole corpus with beam search: the sentences sorted by length into batches (the beams of a batch then
 * finish at about the same step, and padding stays small), the batches shared out among {@code threads} decoding
 * threads, each with a model copy of its own (SameDiff keeps one session per graph and thread, and a step of a
 * small model is too serial to keep two cores busy alone). Translations come back in input order.
 */
public final class CorpusDecoder implements AutoCloseable {
    private final List<BeamSearch> searches = new ArrayList<>();
    private final ExecutorService helpers;
    private final int batchSize;
    private final int nativeThreads;

    /**
     * @param threads decoding threads; the calling thread is one of them, each other one holds a copy of the model
     */
    public CorpusDecoder(Transformer model, DecodeOptions options, int batchSize, int threads) {
        if (batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("batch size and threads must be positive");
        }
        this.batchSize = batchSize;
        searches.add(new BeamSearch(model, options));
        for (int k = 1; k < threads; k++) {
            searches.add(new BeamSearch(copyOf(model), options));
        }
        this.helpers = threads > 1 ? Executors.newFixedThreadPool(threads - 1, Threads.daemon("fulcrum-decode")) : null;
        this.nativeThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / threads);
    }

    private static Transformer copyOf(Transformer model) {
        Transformer copy = Transformer.initialize(model.config(), model.headPlan(), 0,
                model.parameters().dataType());
        copy.parameters().flat().assign(model.parameters().flat());
        return copy;
    }

    /** Best translations (ids without BOS/EOS) of sources given as ids without specials, in input order. */
    public List<int[]> translate(List<int[]> sources) {
        List<List<Integer>> batches = lengthSortedBatches(sources);
        int[][] translations = new int[sources.size()][];
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        int previousThreads = NativeThreads.current();
        NativeThreads.limit(searches.size() > 1 ? nativeThreads : previousThreads);
        try {
            for (int k = 1; k < searches.size(); k++) {
                BeamSearch search = searches.get(k);
                running.add(helpers.submit(() -> decode(search, sources, batches, next, translations)));
            }
            decode(searches.get(0), sources, batches, next, translations);
            running.forEach(work -> Threads.await(work, "decoding"));
        } finally {
            NativeThreads.limit(previousThreads);
        }
        return List.of(translations);
    }

    private List<List<Integer>> lengthSortedBatches(List<int[]> sources) {
        List<Integer> order = IntStream.range(0, sources.size()).boxed()
                .sorted(Comparator.comparingInt(i -> sources.get(i).length)).toList();
        List<List<Integer>> batches = new ArrayList<>();
        for (int start = 0; start < order.size(); start += batchSize) {
            batches.add(order.subList(start, Math.min(order.size(), start + batchSize)));
        }
        return batches;
    }

    /** Takes the next undecoded batch until none is left; each thread writes only its batches' slots. */
    private static void decode(BeamSearch search, List<int[]> sources, List<List<Integer>> batches,
                               AtomicInteger next, int[][] translations) {
        for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
            List<Integer> batch = batches.get(b);
            List<int[]> output = search.translate(batch.stream().map(sources::get).toList());
            for (int j = 0; j < batch.size(); j++) {
                translations[batch.get(j)] = output.get(j);
            }
        }
    }

    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdown();
        }
    }
}
