package dev.fulcrum.driver.ingest;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What ingestion did to a corpus: rows kept and rows dropped per reason (every reason present, in
 * {@link DropReason} order). Every row read is either kept or dropped once, so {@code read = kept + dropped}.
 *
 * @param corpus  the path or table name that was read
 * @param kept    rows in the clean corpus
 * @param dropped rows dropped, per reason
 */
public record IngestReport(String corpus, long kept, Map<DropReason, Long> dropped) {

    public IngestReport {
        EnumMap<DropReason, Long> all = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            all.put(reason, dropped.getOrDefault(reason, 0L));
        }
        dropped = Collections.unmodifiableMap(all);
    }

    public long read() {
        return kept + droppedTotal();
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    public long dropped(DropReason reason) {
        return dropped.get(reason);
    }

    /** Dropped over read; 0 for an empty corpus. */
    public double badFraction() {
        return read() == 0 ? 0 : (double) droppedTotal() / read();
    }

    /** A few lines for the console: totals, then one line per reason. */
    public String summary() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%s: %d rows read, %d kept, %d dropped (%.1f%%)",
                corpus, read(), kept, droppedTotal(), 100 * badFraction()));
        dropped.forEach((reason, count) ->
                text.append(String.format(Locale.ROOT, "%n  %-20s %d", reason.label(), count)));
        return text.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
