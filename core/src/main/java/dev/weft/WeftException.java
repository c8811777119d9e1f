package dev.weft;

import java.io.Serial;

/** The base of the unchecked exceptions Weft throws. */
public class WeftException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what went wrong
     */
    public WeftException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param message what went wrong
     * @param cause the exception behind it, or null
     */
    public WeftException(String message, Throwable cause) {
        super(message, cause);
    }
}
