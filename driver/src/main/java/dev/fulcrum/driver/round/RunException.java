package dev.fulcrum.driver.round;

/**
 * A run that cannot start or go on for a reason the user can fix (an occupied output directory, nothing to
 * resume, data the model cannot take); the message says what to do.
 */
public final class RunException extends RuntimeException {
    public RunException(String message) {
        super(message);
    }
}
