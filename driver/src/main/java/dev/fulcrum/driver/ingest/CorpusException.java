package dev.fulcrum.driver.ingest;

/** A corpus that cannot be ingested: missing files, a format that cannot be read, or too many bad rows. */
public final class CorpusException extends RuntimeException {

    public CorpusException(String message) {
        super(message);
    }
}
