package dev.weft;

import dev.weft.internal.Completions;
import dev.weft.internal.Gather;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
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

    /**
     * Waits for the runs of all the futures to end, in any final state, and returns them (Prefect's {@code
     * wait(futures)}). Failed runs are ended runs: this never throws for them; check each future's {@link
     * #state()}.
     *
     * @param futures Weft futures; one given more than once appears once per occurrence
     * @param <T> the type of their values
     * @return every future in {@link Done#done()}, in the given order
     * @throws IllegalArgumentException if one of them is not a future that Weft returned
     * @throws WeftException if the waiting thread is interrupted
     * @see #waitAll(Collection, Duration)
     */
    static <T> Done<T> waitAll(Collection<? extends TaskFuture<? extends T>> futures) {
        return Completions.waitAll(futures, null);
    }

    /**
     * Waits at most {@code timeout} for the runs of all the futures to end, in any final state, and returns
     * which had ended (Prefect's {@code wait(futures, timeout)}). It returns as soon as the last one ends;
     * when the timeout passes first, the runs still in flight go on. Failed runs are ended runs: this never
     * throws for them, nor on the timeout.
     *
     * <p>It holds no thread per future and does not poll: it registers on each run and parks until the last
     * one tells it. Inside a task of a {@link SequentialTaskRunner}, the waiting thread runs the runner's
     * queued calls meanwhile, as {@link #await()} does.
     *
     * {@snippet :
     * Done<Integer> done = TaskFuture.waitAll(futures, Duration.ofSeconds(10));
     * for (TaskFuture<Integer> late : done.notDone()) {
     *     System.out.println(late.name() + " is still " + late.state());
     * }
     * }
     *
     * @param futures Weft futures; one given more than once appears once per occurrence
     * @param timeout how long to wait at most; zero or negative only looks
     * @param <T> the type of their values
     * @return the futures whose runs had ended and those whose runs had not, each in the given order
     * @throws IllegalArgumentException if one of them is not a future that Weft returned
     * @throws WeftException if the waiting thread is interrupted
     */
    static <T> Done<T> waitAll(Collection<? extends TaskFuture<? extends T>> futures, Duration timeout) {
        return Completions.waitAll(futures, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Returns the futures in the order their runs end, waiting as long as it takes (Prefect's {@code
     * as_completed(futures)}).
     *
     * @param futures Weft futures
     * @param <T> the type of their values
     * @return the futures in the order their runs end; iterable once
     * @throws IllegalArgumentException if one of them is not a future that Weft returned
     * @see #asCompleted(Collection, Duration)
     */
    static <T> Iterable<TaskFuture<T>> asCompleted(Collection<? extends TaskFuture<? extends T>> futures) {
        return Completions.asCompleted(futures, null);
    }

    /**
     * Returns the futures in the order their runs end, in any final state (Prefect's {@code
     * as_completed(futures, timeout)}): each future is yielded once, as soon as its run has ended, so a loop
     * handles each result without waiting for slower runs. Futures whose runs had already ended when this
     * is called come first, in the given order; the others follow in the order they end. A future given
     * more than once is yielded once per occurrence.
     *
     * <p>The timeout counts from this call, for the whole iteration: when it passes before the next run has
     * ended, {@code next()} throws a {@link WaitTimeoutException} that says how many of the futures had
     * ended. {@code hasNext()} never blocks; {@code next()} blocks until a run ends. Nothing is cancelled.
     * It holds no thread per future and does not poll: it registers on each run at this call, and each run
     * that ends hands itself to the iteration. An interrupted {@code next()} throws a {@link WeftException}
     * and leaves the interrupt flag set.
     *
     * <p>The returned iterable can be iterated once (a second {@code iterator()} throws {@link
     * IllegalStateException}), by one thread at a time.
     *
     * {@snippet :
     * for (TaskFuture<Path> file : TaskFuture.asCompleted(downloads, Duration.ofMinutes(5))) {
     *     index.submit(file); // starts as soon as each download has ended
     * }
     * }
     *
     * @param futures Weft futures
     * @param timeout how long, from this call, the whole iteration may take
     * @param <T> the type of their values
     * @return the futures in the order their runs end; iterable once
     * @throws IllegalArgumentException if one of them is not a future that Weft returned
     */
    static <T> Iterable<TaskFuture<T>> asCompleted(
            Collection<? extends TaskFuture<? extends T>> futures, Duration timeout) {
        return Completions.asCompleted(futures, Objects.requireNonNull(timeout, "timeout"));
    }
}
