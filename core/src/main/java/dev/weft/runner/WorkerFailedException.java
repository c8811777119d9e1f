package dev.weft.runner;

import java.io.Serial;

/**
 * Thrown inside a call when what runs it failed rather than the task: a device out of resources or gone,
 * say. The run ends {@code CRASHED} with this message, as it does when its worker dies, and not {@code
 * FAILED}, which says that the task's own code threw. A runner's code throws it (or a subclass); a task has
 * no reason to.
 */
public class WorkerFailedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, and where, such as {@code device #0 ...: CL_OUT_OF_RESOURCES}
     * @param cause the error the worker reported, or null
     */
    public WorkerFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
