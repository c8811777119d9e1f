package dev.weft;

import java.io.Serial;

/**
 * Thrown by the engine when a run is asked to move between two states that the state machine does not
 * connect, such as {@code PENDING -> COMPLETED} without running. It signals a bug in Weft or in a task
 * runner, never in user code; the message carries the run's history.
 */
public class IllegalTransitionException extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the run, the transition and the states the run went through
     */
    public IllegalTransitionException(String message) {
        super(message);
    }
}
