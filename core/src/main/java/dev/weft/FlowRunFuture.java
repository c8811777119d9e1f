package dev.weft;

import java.time.Duration;
import java.util.Optional;

/**
 * A flow run started with {@link Flow#start()}: it runs on a thread of its own while the caller goes on,
 * and can be waited for or cancelled.
 *
 * @param <R> the flow's value type
 */
public interface FlowRunFuture<R> {

    /**
     * Returns the flow run's name, such as {@code olivine-swan}.
     *
     * @return the name
     */
    String name();

    /**
     * Returns whether the flow run has ended.
     *
     * @return true once it has a final state
     */
    boolean isDone();

    /**
     * Waits for the flow run to end and returns its final state.
     *
     * @return the final state
     */
    State<R> await();

    /**
     * Waits at most {@code timeout} for the flow run to end.
     *
     * @param timeout how long to wait
     * @return the final state, or empty if it has not ended yet
     */
    Optional<State<R>> await(Duration timeout);

    /**
     * Waits for the flow run to end and returns its value.
     *
     * @return the body's value
     * @throws RunFailedException if the flow run did not complete
     */
    R result();

    /**
     * Cancels the flow run: every run it submitted that is not final is cancelled (waiting ones never start,
     * running ones are interrupted), its subflow runs too, and its body is interrupted. The flow run ends
     * {@code CANCELLED} once they have.
     *
     * @return whether this call cancelled it; false if it had ended or been cancelled already
     */
    boolean cancel();
}
