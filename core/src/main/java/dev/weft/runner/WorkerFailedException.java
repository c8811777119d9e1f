package dev.weft.runner;

import java.io.Serial;

/**
 * Thrown inside a call when what runs it failed rather than the task: a device out of resources or gone,
 * say. The run ends {@code CRASHED} with this message, as it does when its worker dies, and not {@code
 * FAILED}, which says that the task's own code threw. A runner's code throws it (or a subclass); a task has
 * no reason to.
 *
 * <p>Where the worker is {@link #goneWorker() gone for good} (its device was lost, and the runner places
 * nothing more there), a call that its runner runs in this process is not crashed but lost with its worker:
 * it runs again on another worker, as a call of a worker that died does, and crashes only where no worker
 * is left that could run it, or after it was lost {@code 3} times.
 */
public class WorkerFailedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The worker that is gone for good, or null. */
    private final String goneWorker;

    /**
     * Creates the exception, for a worker that goes on.
     *
     * @param message what failed, and where, such as {@code device #0 ...: CL_OUT_OF_RESOURCES}
     * @param cause the error the worker reported, or null
     */
    public WorkerFailedException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /**
     * Creates the exception, naming the worker if it is gone for good.
     *
     * @param message what failed, and where, such as {@code device #0 ...: CL_DEVICE_NOT_AVAILABLE}
     * @param cause the error the worker reported, or null
     * @param goneWorker the name of the worker that is gone for good (the runner has taken it out of
     *     placement), or null if it goes on
     */
    public WorkerFailedException(String message, Throwable cause, String goneWorker) {
        super(message, cause);
        this.goneWorker = goneWorker;
    }

    /**
     * Returns the name of the worker that ran the call if it is gone for good; the call then runs again
     * elsewhere.
     *
     * @return the worker's name, or null if the worker goes on
     */
    public String goneWorker() {
        return goneWorker;
    }
}
