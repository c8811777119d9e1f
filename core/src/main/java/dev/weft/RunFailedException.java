package dev.weft;

import java.io.Serial;

/**
 * Thrown when the value of a task run or flow run is asked for and the run did not complete: by
 * {@link TaskFuture#result()}, by calling a task or a flow in place, and by {@link State#result()}.
 *
 * <p>The message names the run, its final state's name and its message. The cause is the exception behind that state: the
 * exception the task's own code threw for a {@code FAILED} run, the error outside user code for a
 * {@code CRASHED} one, an {@link UpstreamFailedException} for a run that never started because an
 * upstream run did not complete.
 */
public class RunFailedException extends WeftException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient State<?> state;

    /**
     * Creates the exception for a run that ended in {@code state}.
     *
     * @param run the run's label, such as {@code Task run 'say_hello-1a2b3c4d-0'}
     * @param state the run's final state
     */
    public RunFailedException(String run, State<?> state) {
        super(describe(run, state), state.exception());
        this.state = state;
    }

    /**
     * Names the run and its state without quoting the state's message, so that messages nested through
     * subflows read the same at every level: {@code Task run 'x-1a2b3c4d-0' finished in state Failed: ...}.
     */
    private static String describe(String run, State<?> state) {
        String message = state.message();
        return run + " finished in state " + state.name() + (message == null ? "" : ": " + message);
    }

    /**
     * Returns the final state of the run that failed.
     *
     * @return the state; null after this exception was deserialized
     */
    public State<?> state() {
        return state;
    }
}
