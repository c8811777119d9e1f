package dev.weft;

import java.io.Serial;

/**
 * A call needs more resources than any worker of its runner has, so it could never start: its run ends
 * {@code CRASHED} at once, with this exception's message naming what it needs and what the workers have.
 * A runner's {@code submit} throws it.
 */
public class InsufficientResourcesException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception.
     *
     * @param message what the call needs and what the workers have
     */
    public InsufficientResourcesException(String message) {
        super(message);
    }
}
