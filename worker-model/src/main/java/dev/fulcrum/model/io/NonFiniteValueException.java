package dev.fulcrum.model.io;

/**
 * Thrown instead of storing a parameter or optimiser value that is NaN or infinite: such a model or checkpoint is
 * worse than none, so its save fails and whatever was there before stays.
 */
public final class NonFiniteValueException extends IllegalStateException {
    public NonFiniteValueException(double value) {
        super("refusing to store a non-finite value (" + value + "): the model diverged");
    }
}
