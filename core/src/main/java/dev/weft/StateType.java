package dev.weft;

/**
 * The kind of a {@link State}. A run moves {@code PENDING -> RUNNING -> COMPLETED}, possibly through
 * {@code QUEUED} (waiting for a concurrency slot) and {@code AWAITING_RETRY}, and back to {@code PENDING}
 * when the worker it ran on vanished; it ends in exactly one of the four final types.
 *
 * <p>{@link #FAILED} means the user's code threw. {@link #CRASHED} means something outside user code
 * broke: the task runner refused or lost the run, the engine could not hand the task its inputs, or the
 * JVM ran out of memory or stack inside the run.
 */
public enum StateType {
    /** Created, and waiting for its inputs, or for a worker with the resources it needs free. */
    PENDING("Pending"),
    /** Ready, but waiting for a concurrency slot on one of its tags. */
    QUEUED("Queued"),
    /** User code is executing. */
    RUNNING("Running"),
    /** A try failed and another will start later. */
    AWAITING_RETRY("AwaitingRetry"),
    /** Final: the run returned a value. */
    COMPLETED("Completed"),
    /** Final: user code threw, or an upstream run did not complete. */
    FAILED("Failed"),
    /** Final: something outside user code broke. */
    CRASHED("Crashed"),
    /** Final: the run was cancelled before or while it ran. */
    CANCELLED("Cancelled");

    private final String displayName;

    StateType(String displayName) {
        this.displayName = displayName;
    }

    /**
     * Returns whether a run in this state has ended for good.
     *
     * @return true for COMPLETED, FAILED, CRASHED and CANCELLED
     */
    public boolean isFinal() {
        return ordinal() >= COMPLETED.ordinal();
    }

    /**
     * Returns the name a state of this type carries unless it has a more specific one, such as
     * {@code Completed} or {@code AwaitingRetry}.
     *
     * @return the default state name
     */
    public String displayName() {
        return displayName;
    }
}
