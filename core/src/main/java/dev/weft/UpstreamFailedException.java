package dev.weft;

import java.io.Serial;

/**
 * The exception in the final state of a run that never started because a run it depends on (a future
 * among its inputs, or in its {@code waitFor}) did not complete. Its message names that upstream run and
 * its state; its cause is the upstream run's own exception.
 */
public class UpstreamFailedException extends WeftException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the upstream run and its state
     * @param cause the upstream run's exception, or null
     */
    public UpstreamFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
