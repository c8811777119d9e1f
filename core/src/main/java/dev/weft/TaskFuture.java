package dev.weft;

import dev.weft.internal.Gather;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Access to a task run handed to a task runner by {@code submit}: its state, and its value once it has
 * one. Prefect calls it a {@code PrefectFuture}.
 *
 * <p>A future passed to another task, as an argument or inside a {@code List}, {@code Set}, {@code Map}
 * or array argument, reaches that task as the value of the run: the downstream run starts only when the
 * upstream one has completed, and never starts if it did not (it then ends {@code FAILED}, naming the
 * upstream run). Waiting that way holds no thread.
 *
 * <p>All methods are thread-safe. {@link #state()}, {@link #isDone()} and {@link #name()} never block;
 * {@link #result()}, {@link #resultOrException()} and {@link #await()} block until the run is final.
 * A thread that waits while running a task of a {@link SequentialTaskRunner} keeps running that runner's
 * queued calls in the meantime, so waiting on a sibling never deadlocks. An interrupted wait throws a
 * {@link WeftException} and leaves the thread's interrupt flag set.
 *
 * <p>Only Weft creates futures; other implementations of this interface are rejected where a future is
 * expected.
 *
 * @param <T> the type of the run's value
 */
public interface TaskFuture<T> {

    /**
     * Returns the run's name, such as {@code say_hello-1a2b3c4d-0}: the task's name, 8 hex digits of the
     * task's key, and the index of the call among the calls of that task in the flow run.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the run's id: unique across processes and hosts, made on first use. It is the id that a
     * concurrency limit lists among its {@code activeSlots} while the run holds a slot.
     *
     * @return the id
     */
    UUID id();

    /**
     * Cancels the run: a run waiting for its inputs, a slot, a retry or its runner ends {@code CANCELLED}
     * without starting; a running one ends {@code CANCELLED} at once and its thread is interrupted. Runs
     * downstream of it never start, and its slots are given back at once.
     *
     * @return whether this call cancelled it; false if it had ended already
     */
    boolean cancel();

    /**
     * Returns the run's current state without blocking (Prefect's {@code get_state()}). A waiting run's
     * state says in its message what it waits for.
     *
     * @return the state
     */
    State<T> state();

    /**
     * Returns whether the run has reached a final state.
     *
     * @return true once completed, failed, crashed or cancelled
     */
    boolean isDone();

    /**
     * Waits for the run to end and returns its value.
     *
     * @return the value the task returned
     * @throws RunFailedException if the run did not complete; it names the run, and its cause is the
     *     task's own exception
     */
    T result();

    /**
     * Waits for the run to end and returns its value, or its exception instead of throwing it (Prefect's
     * {@code result(raise_on_failure=False)}). Check {@link #state()} to tell the two apart.
     *
     * @return the value, or the exception behind the run's final state
     */
    Object resultOrException();

    /**
     * Waits, without a limit, for the run to end (Prefect's {@code wait()}; {@code Object.wait} is taken).
     *
     * @return the final state
     */
    State<T> await();

    /**
     * Waits at most {@code timeout} for the run to end (Prefect's {@code wait(timeout)}).
     *
     * @param timeout how long to wait at most
     * @return the final state, or empty if the run has not ended in time
     */
    Optional<State<T>> await(Duration timeout);

    /**
     * Gathers futures into one future of their values, in the given order. It completes when all have
     * completed, and fails as soon as one did not complete, naming it. Pass it to a task to give that
     * task the list of values.
     *
     * @param futures the futures
     * @param <T> the type of their values
     * @return a future of the list of values
     */
    static <T> TaskFuture<List<T>> gather(Collection<? extends TaskFuture<? extends T>> futures) {
        return Gather.of(futures);
    }

    /**
     * Gathers futures into one future of their values, in the given order.
     *
     * @param futures the futures
     * @param <T> the type of their values
     * @return a future of the list of values
     * @see #gather(Collection)
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    static <T> TaskFuture<List<T>> gather(TaskFuture<? extends T>... futures) {
        return Gather.ofArray(futures);
    }
}
