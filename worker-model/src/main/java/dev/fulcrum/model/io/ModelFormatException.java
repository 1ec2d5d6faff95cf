package dev.fulcrum.model.io;

import java.io.IOException;
import java.nio.file.Path;

/** A model directory or archive that cannot be loaded; the message names the file and what is wrong with it. */
public final class ModelFormatException extends IOException {
    private final transient Path file;
    private final String problem;

    public ModelFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file (or directory, or archive) that is damaged, missing or foreign. */
    public Path file() {
        return file;
    }

    /** What is wrong with {@link #file()}. */
    public String problem() {
        return problem;
    }
}
