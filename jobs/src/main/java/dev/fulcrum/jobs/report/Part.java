package dev.fulcrum.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One section's data for the page, or why the section has none (a file the run has not written, or one
 * that cannot be read): a report shows what there is instead of failing.
 *
 * @param data what the section shows, or null
 * @param note why {@code data} is missing or incomplete, for the reader; null when there is nothing to say
 */
record Part(JsonNode data, String note) {
    static Part of(JsonNode data) {
        return new Part(data, null);
    }

    static Part absent(String note) {
        return new Part(null, note);
    }
}
