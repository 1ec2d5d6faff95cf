package dev.fulcrum.driver.ingest;

import dev.fulcrum.model.text.PreTokenizer;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Normalises both sides of a raw row with {@link PreTokenizer#normalize} (NFC, white space collapsed, lone
 * surrogates to U+FFFD) and gives it the first {@link DropReason} that applies; rows a reader already
 * rejected keep their reason. Duplicates are found later, across rows.
 */
final class PairCheck implements MapFunction<Row, Row> {
    private static final char REPLACEMENT = '\uFFFD';

    private final int maxChars;

    PairCheck(int maxChars) {
        this.maxChars = maxChars;
    }

    @Override
    public Row call(Row raw) {
        String source = raw.getString(2) == null ? null : PreTokenizer.normalize(raw.getString(2));
        String target = raw.getString(3) == null ? null : PreTokenizer.normalize(raw.getString(3));
        String reason = raw.isNullAt(4) ? reason(source, target) : raw.getString(4);
        return RowFactory.create(raw.getString(0), raw.getLong(1), source, target, reason);
    }

    private String reason(String source, String target) {
        DropReason reason;
        if (source == null || target == null) {
            reason = DropReason.MISSING_COLUMN;
        } else if (source.indexOf(REPLACEMENT) >= 0 || target.indexOf(REPLACEMENT) >= 0) {
            reason = DropReason.INVALID_UTF8;
        } else if (hasControl(source) || hasControl(target)) {
            reason = DropReason.CONTROL_CHARACTERS;
        } else if (source.isEmpty() || target.isEmpty()) {
            reason = DropReason.EMPTY_SIDE;
        } else if (tooLong(source) || tooLong(target)) {
            reason = DropReason.OVER_LONG;
        } else {
            return null;
        }
        return reason.name();
    }

    private boolean tooLong(String text) {
        return text.length() > maxChars && text.codePointCount(0, text.length()) > maxChars;
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL);
    }
}
