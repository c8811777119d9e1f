package dev.weft;

import java.io.Serial;

/**
 * A run needed a slot on a tag whose every slot is held by runs that wait for it (a task run waiting on
 * the subflow it called, or on a task it called in place): waiting would never end, so the run failed
 * instead. The message names the tag and both runs.
 */
public class ConcurrencyDeadlockException extends WeftException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what deadlocked, naming the tag and both runs
     */
    public ConcurrencyDeadlockException(String message) {
        super(message);
    }
}
