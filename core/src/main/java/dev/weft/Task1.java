package dev.weft;

import dev.weft.internal.CallOptions;
import dev.weft.internal.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A task of one argument. Make one with {@code Task.of} or {@code Task.async}.
 *
 * <p>Each argument may be given as a value or as a {@link TaskFuture} of one; a future reaches the task's
 * code as its value, and the run starts only once it has completed. Instances are immutable and
 * thread-safe; {@link #waitFor} returns a copy carrying the extra ordering.
 *
 * @param <A> the type of the first argument
 * @param <R> the type of the value
 */
public final class Task1<A, R> extends Task {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    Task1(TaskSpec spec, CallOptions options) {
        super(spec, options);
    }

    /**
     * Submits a run of this task to the current flow run's task runner and returns its future at once;
     * the runner starts it once every future among the arguments has completed.
     *
     * @param a the first argument
     * @return the run's future
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public TaskFuture<R> submit(A a) {
        return submitOne(a);
    }

    /**
     * Submits a run of this task to the current flow run's task runner and returns its future at once;
     * the runner starts it once every future among the arguments has completed.
     *
     * @param a the first argument, as a future
     * @return the run's future
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public TaskFuture<R> submit(TaskFuture<? extends A> a) {
        return submitOne(a);
    }

    /**
     * Calls this task in place: inside a flow, as a task run on the calling thread, after waiting for
     * any futures among the arguments; outside a flow, as a plain function.
     *
     * @param a the first argument
     * @return the task's value
     * @throws RunFailedException inside a flow, if the run did not complete; its cause is the task's
     *     exception
     */
    public R call(A a) {
        return callOne(a);
    }

    /**
     * Calls this task in place: inside a flow, as a task run on the calling thread, after waiting for
     * any futures among the arguments; outside a flow, as a plain function.
     *
     * @param a the first argument, as a future
     * @return the task's value
     * @throws RunFailedException inside a flow, if the run did not complete; its cause is the task's
     *     exception
     */
    public R call(TaskFuture<? extends A> a) {
        return callOne(a);
    }

    /**
     * Submits one run of this task per element and returns their futures at once, in the elements' order
     * (Prefect's {@code task.map}). Each element is an argument as {@code submit} takes it: a value, or a
     * {@link TaskFuture} of one, whose run starts once that future has completed. Each run is what {@code
     * submit} makes: its own index and name, and this task's {@code waitFor}, priority, resources and tags.
     *
     * {@snippet :
     * List<TaskFuture<String>> greetings = sayHello.map(List.of("Marvin", "Arthur")); // two runs
     * }
     *
     * @param as the arguments, values or futures, read once
     * @return the runs' futures, one per element, in order; an unmodifiable list
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public List<TaskFuture<R>> map(Iterable<?> as) {
        return mapEach(as);
    }

    /**
     * Returns this task with runs that its calls must wait for, although they pass it no data (Prefect's
     * {@code wait_for=[...]}). If one of them does not complete, the call does not run.
     *
     * @param upstream the futures to wait for
     * @return a copy of this task carrying the ordering
     */
    public Task1<A, R> waitFor(TaskFuture<?>... upstream) {
        return new Task1<>(spec, plusWaitFor(upstream));
    }

    /**
     * Returns this task with a priority for its submitted calls: among calls that are ready, higher
     * priorities start first, and equal ones keep submission order. It takes precedence over an {@link
     * Annotate} scope; the default is 0.
     *
     * @param priority the priority, such as 10 or -10
     * @return a copy of this task with the priority
     */
    public Task1<A, R> withPriority(int priority) {
        return new Task1<>(spec, plusPriority(priority));
    }

    /**
     * Returns this task with the resources each submitted call needs on its worker, such as {@code
     * Map.of("GPU", 1)}: the call starts on a worker whose free resources cover them, which are reserved
     * for it until it ends. It takes precedence over an {@link Annotate} scope.
     *
     * @param resources names and amounts
     * @return a copy of this task with the resources
     * @throws IllegalArgumentException for an invalid amount (see {@link Resources#of(Map)})
     */
    public Task1<A, R> withResources(Map<String, ? extends Number> resources) {
        return new Task1<>(spec, plusResources(resources));
    }

    /**
     * Returns this task with more tags: its runs take a slot on every tag that has a concurrency limit
     * before they run, all or nothing, and wait QUEUED while one is full. Tags add up: those of the task,
     * of this call and of the {@link Annotate} scopes around it.
     *
     * @param tags such as {@code "small_instance"}
     * @return a copy of this task with the tags
     * @throws IllegalArgumentException for an invalid tag (see {@link Tags#check})
     */
    public Task1<A, R> withTags(String... tags) {
        return new Task1<>(spec, plusTags(tags));
    }

    /**
     * Returns this task retrying a failed try up to {@code retries} times, at once.
     *
     * @param retries 0 or more
     * @return a copy of this task with the retries
     */
    public Task1<A, R> withRetries(int retries) {
        return new Task1<>(spec, plusRetries(Retries.of(retries)));
    }

    /**
     * Returns this task retrying a failed try up to {@code retries} times, {@code delay} after it
     * failed (Prefect's {@code retries=3, retry_delay_seconds=10}).
     *
     * @param retries 0 or more
     * @param delay zero or more
     * @return a copy of this task with the retries
     */
    public Task1<A, R> withRetries(int retries, Duration delay) {
        return new Task1<>(spec, plusRetries(Retries.of(retries).delay(delay)));
    }

    /**
     * Returns this task retrying failed tries as {@code retries} says: how many, after which delays,
     * and which failures.
     *
     * @param retries the policy
     * @return a copy of this task with the retries
     */
    public Task1<A, R> withRetries(Retries retries) {
        return new Task1<>(spec, plusRetries(retries));
    }

    /**
     * Returns this task with a time limit on each try: a try still running after {@code timeout} ends
     * {@code FAILED} with a {@link java.util.concurrent.TimeoutException} that names the limit, and its
     * thread is interrupted; retries may follow.
     *
     * @param timeout more than zero
     * @return a copy of this task with the timeout
     */
    public Task1<A, R> withTimeout(Duration timeout) {
        return new Task1<>(spec, plusTimeout(timeout));
    }
}
