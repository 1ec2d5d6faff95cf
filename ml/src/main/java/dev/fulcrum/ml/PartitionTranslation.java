package dev.fulcrum.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import dev.fulcrum.model.concurrent.NativeThreads;
import dev.fulcrum.model.decode.DecodeOptions;
import dev.fulcrum.model.decode.SentenceTranslator;
import dev.fulcrum.model.io.ModelStore;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * The executor side of {@code transform}: builds the model once per partition from the broadcast archive and
 * translates the partition's rows a chunk at a time (so a large partition never sits in memory whole), each row
 * leaving with its translation appended, in order. The task's cores ({@code spark.task.cpus}) become decoding
 * threads, each with one native thread.
 */
final class PartitionTranslation implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    /** Rows translated together: enough for length-sorted batches to be full, few enough to stay small. */
    private static final int CHUNK = 512;

    private final Broadcast<byte[]> archive;
    private final DecodeOptions options;
    private final int batchSize;
    private final int sourceIndex;
    private final LongAccumulator truncated;

    PartitionTranslation(Broadcast<byte[]> archive, DecodeOptions options, int batchSize, int sourceIndex,
                         LongAccumulator truncated) {
        this.archive = archive;
        this.options = options;
        this.batchSize = batchSize;
        this.sourceIndex = sourceIndex;
        this.truncated = truncated;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows;
        }
        TaskContext task = TaskContext.get();
        int threads = task == null ? 1 : Math.max(1, task.cpus());
        NativeThreads.limit(1);
        SentenceTranslator translator;
        try {
            translator = new SentenceTranslator(ModelStore.fromArchiveBytes(archive.value()), options, batchSize,
                    threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the broadcast model", e);
        }
        return new Translated(rows, translator);
    }

    /** Pulls a chunk of rows, translates it, hands its rows out; closes the translator after the last chunk. */
    private final class Translated implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final SentenceTranslator translator;
        private Iterator<Row> chunk = java.util.Collections.emptyIterator();

        Translated(Iterator<Row> rows, SentenceTranslator translator) {
            this.rows = rows;
            this.translator = translator;
        }

        @Override
        public boolean hasNext() {
            if (!chunk.hasNext() && rows.hasNext()) {
                chunk = translateChunk();
            }
            if (!chunk.hasNext()) {
                translator.close();
            }
            return chunk.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return chunk.next();
        }

        private Iterator<Row> translateChunk() {
            List<Row> inputs = new ArrayList<>(CHUNK);
            while (inputs.size() < CHUNK && rows.hasNext()) {
                inputs.add(rows.next());
            }
            List<String> sources = inputs.stream().map(row -> row.isNullAt(sourceIndex) ? null
                    : row.getString(sourceIndex)).toList();
            SentenceTranslator.Translations translations = translator.translate(sources);
            truncated.add(translations.truncated());
            List<Row> outputs = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                outputs.add(withTranslation(inputs.get(i), translations.texts().get(i)));
            }
            return outputs.iterator();
        }

        private Row withTranslation(Row row, String translation) {
            Object[] values = new Object[row.length() + 1];
            for (int i = 0; i < row.length(); i++) {
                values[i] = row.get(i);
            }
            values[row.length()] = translation;
            return RowFactory.create(values);
        }
    }
}
