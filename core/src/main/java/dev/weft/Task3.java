package dev.weft;

import dev.weft.internal.CallOptions;
import dev.weft.internal.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A task of three arguments. Make one with {@code Task.of} or {@code Task.async}.
 *
 * <p>Each argument may be given as a value or as a {@link TaskFuture} of one; a future reaches the task's
 * code as its value, and the run starts only once it has completed. Instances are immutable and
 * thread-safe; {@link #waitFor} returns a copy carrying the extra ordering.
 *
 * @param <A> the type of the first argument
 * @param <B> the type of the second argument
 * @param <C> the type of the third argument
 * @param <R> the type of the value
 */
public final class Task3<A, B, C, R> extends Task {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    Task3(TaskSpec spec, CallOptions options) {
        super(spec, options);
    }

    /**
     * Submits a run of this task to the current flow run's task runner and returns its future at once;
     * the runner starts it once every future among the arguments has completed.
     *
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument
     * @return the run's future
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public TaskFuture<R> submit(A a, B b, C c) {
        return submitWith(a, b, c);
    }

    /**
     * Submits a run of this task to the current flow run's task runner and returns its future at once;
     * the runner starts it once every future among the arguments has completed.
     *
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument, as a future
     * @return the run's future
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public TaskFuture<R> submit(A a, B b, TaskFuture<? extends C> c) {
        return submitWith(a, b, c);
    }

    /**
     * Submits a run of this task to the current flow run's task runner and returns its future at once;
     * the runner starts it once every future among the arguments has completed.
     *
     * @param a the first argument
     * @param b the second argument, as a future
     * @param c the third argument
     * @return the run's future
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public TaskFuture<R> submit(A a, TaskFuture<? extends B> b, C c) {
        return submitWith(a, b, c);
    }

    /**
     * Submits a run of this task to the current flow run's task runner and returns its future at once;
     * the runner starts it once every future among the arguments has completed.
     *
     * @param a the first argument
     * @param b the second argument, as a future
     * @param c the third argument, as a future
     * @return the run's future
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public TaskFuture<R> submit(A a, TaskFuture<? extends B> b, TaskFuture<? extends C> c) {
        return submitWith(a, b, c);
    }

    /**
     * Submits a run of this task to the current flow run's task runner and returns its future at once;
     * the runner starts it once every future among the arguments has completed.
     *
     * @param a the first argument, as a future
     * @param b the second argument
     * @param c the third argument
     * @return the run's future
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public TaskFuture<R> submit(TaskFuture<? extends A> a, B b, C c) {
        return submitWith(a, b, c);
    }

    /**
     * Submits a run of this task to the current flow run's task runner and returns its future at once;
     * the runner starts it once every future among the arguments has completed.
     *
     * @param a the first argument, as a future
     * @param b the second argument
     * @param c the third argument, as a future
     * @return the run's future
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public TaskFuture<R> submit(TaskFuture<? extends A> a, B b, TaskFuture<? extends C> c) {
        return submitWith(a, b, c);
    }

    /**
     * Submits a run of this task to the current flow run's task runner and returns its future at once;
     * the runner starts it once every future among the arguments has completed.
     *
     * @param a the first argument, as a future
     * @param b the second argument, as a future
     * @param c the third argument
     * @return the run's future
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public TaskFuture<R> submit(TaskFuture<? extends A> a, TaskFuture<? extends B> b, C c) {
        return submitWith(a, b, c);
    }

    /**
     * Submits a run of this task to the current flow run's task runner and returns its future at once;
     * the runner starts it once every future among the arguments has completed.
     *
     * @param a the first argument, as a future
     * @param b the second argument, as a future
     * @param c the third argument, as a future
     * @return the run's future
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public TaskFuture<R> submit(TaskFuture<? extends A> a, TaskFuture<? extends B> b, TaskFuture<? extends C> c) {
        return submitWith(a, b, c);
    }

    /**
     * Calls this task in place: inside a flow, as a task run on the calling thread, after waiting for
     * any futures among the arguments; outside a flow, as a plain function.
     *
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument
     * @return the task's value
     * @throws RunFailedException inside a flow, if the run did not complete; its cause is the task's
     *     exception
     */
    public R call(A a, B b, C c) {
        return callWith(a, b, c);
    }

    /**
     * Calls this task in place: inside a flow, as a task run on the calling thread, after waiting for
     * any futures among the arguments; outside a flow, as a plain function.
     *
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument, as a future
     * @return the task's value
     * @throws RunFailedException inside a flow, if the run did not complete; its cause is the task's
     *     exception
     */
    public R call(A a, B b, TaskFuture<? extends C> c) {
        return callWith(a, b, c);
    }

    /**
     * Calls this task in place: inside a flow, as a task run on the calling thread, after waiting for
     * any futures among the arguments; outside a flow, as a plain function.
     *
     * @param a the first argument
     * @param b the second argument, as a future
     * @param c the third argument
     * @return the task's value
     * @throws RunFailedException inside a flow, if the run did not complete; its cause is the task's
     *     exception
     */
    public R call(A a, TaskFuture<? extends B> b, C c) {
        return callWith(a, b, c);
    }

    /**
     * Calls this task in place: inside a flow, as a task run on the calling thread, after waiting for
     * any futures among the arguments; outside a flow, as a plain function.
     *
     * @param a the first argument
     * @param b the second argument, as a future
     * @param c the third argument, as a future
     * @return the task's value
     * @throws RunFailedException inside a flow, if the run did not complete; its cause is the task's
     *     exception
     */
    public R call(A a, TaskFuture<? extends B> b, TaskFuture<? extends C> c) {
        return callWith(a, b, c);
    }

    /**
     * Calls this task in place: inside a flow, as a task run on the calling thread, after waiting for
     * any futures among the arguments; outside a flow, as a plain function.
     *
     * @param a the first argument, as a future
     * @param b the second argument
     * @param c the third argument
     * @return the task's value
     * @throws RunFailedException inside a flow, if the run did not complete; its cause is the task's
     *     exception
     */
    public R call(TaskFuture<? extends A> a, B b, C c) {
        return callWith(a, b, c);
    }

    /**
     * Calls this task in place: inside a flow, as a task run on the calling thread, after waiting for
     * any futures among the arguments; outside a flow, as a plain function.
     *
     * @param a the first argument, as a future
     * @param b the second argument
     * @param c the third argument, as a future
     * @return the task's value
     * @throws RunFailedException inside a flow, if the run did not complete; its cause is the task's
     *     exception
     */
    public R call(TaskFuture<? extends A> a, B b, TaskFuture<? extends C> c) {
        return callWith(a, b, c);
    }

    /**
     * Calls this task in place: inside a flow, as a task run on the calling thread, after waiting for
     * any futures among the arguments; outside a flow, as a plain function.
     *
     * @param a the first argument, as a future
     * @param b the second argument, as a future
     * @param c the third argument
     * @return the task's value
     * @throws RunFailedException inside a flow, if the run did not complete; its cause is the task's
     *     exception
     */
    public R call(TaskFuture<? extends A> a, TaskFuture<? extends B> b, C c) {
        return callWith(a, b, c);
    }

    /**
     * Calls this task in place: inside a flow, as a task run on the calling thread, after waiting for
     * any futures among the arguments; outside a flow, as a plain function.
     *
     * @param a the first argument, as a future
     * @param b the second argument, as a future
     * @param c the third argument, as a future
     * @return the task's value
     * @throws RunFailedException inside a flow, if the run did not complete; its cause is the task's
     *     exception
     */
    public R call(TaskFuture<? extends A> a, TaskFuture<? extends B> b, TaskFuture<? extends C> c) {
        return callWith(a, b, c);
    }

    /**
     * Submits one run of this task per position of its mapped arguments and returns their futures at once,
     * in order (Prefect's {@code task.map}): run {@code i} gets element {@code i} of each mapped argument,
     * and the whole of each constant one.
     *
     * <p>An {@link Iterable} argument is mapped, except a {@link java.nio.file.Path}, which is given whole.
     * Any other value is a constant, as is a value wrapped in {@link Task#unmapped}: wrap a constant that is
     * itself a collection, or it is mapped. Arrays are constants; map over a list of their elements. A future,
     * as an element or as a constant, reaches the runs as its value, and they start once it has completed;
     * to map over the value of a future of a list, wait for it first ({@code map(listFuture.result(), ...)}).
     * Each run is what {@code submit} makes: its own index and name, and this task's {@code waitFor},
     * priority, resources and tags. Every {@code Iterable} is read once, and the arguments are checked
     * before the first run is submitted, so a call with bad arguments submits nothing.
     *
     * {@snippet :
     * List<TaskFuture<Path>> outputs = render.map(scenes, Task.unmapped(List.of("png", "exr")), outDir);
     * }
     *
     * @param a the first argument: an {@code Iterable} to map, or a constant
     * @param b the second argument: an {@code Iterable} to map, or a constant
     * @param c the third argument: an {@code Iterable} to map, or a constant
     * @return the runs' futures, one per position, in order; an unmodifiable list
     * @throws IllegalArgumentException if no argument is mapped, or the mapped ones have different lengths;
     *     the message gives the lengths, such as {@code a has 3, b has 2}
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public List<TaskFuture<R>> map(Object a, Object b, Object c) {
        return mapZipped(a, b, c);
    }

    /**
     * Returns this task with runs that its calls must wait for, although they pass it no data (Prefect's
     * {@code wait_for=[...]}). If one of them does not complete, the call does not run.
     *
     * @param upstream the futures to wait for
     * @return a copy of this task carrying the ordering
     */
    public Task3<A, B, C, R> waitFor(TaskFuture<?>... upstream) {
        return new Task3<>(spec, plusWaitFor(upstream));
    }

    /**
     * Returns this task with a priority for its submitted calls: among calls that are ready, higher
     * priorities start first, and equal ones keep submission order. It takes precedence over an {@link
     * Annotate} scope; the default is 0.
     *
     * @param priority the priority, such as 10 or -10
     * @return a copy of this task with the priority
     */
    public Task3<A, B, C, R> withPriority(int priority) {
        return new Task3<>(spec, plusPriority(priority));
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
    public Task3<A, B, C, R> withResources(Map<String, ? extends Number> resources) {
        return new Task3<>(spec, plusResources(resources));
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
    public Task3<A, B, C, R> withTags(String... tags) {
        return new Task3<>(spec, plusTags(tags));
    }

    /**
     * Returns this task retrying a failed try up to {@code retries} times, at once.
     *
     * @param retries 0 or more
     * @return a copy of this task with the retries
     */
    public Task3<A, B, C, R> withRetries(int retries) {
        return new Task3<>(spec, plusRetries(Retries.of(retries)));
    }

    /**
     * Returns this task retrying a failed try up to {@code retries} times, {@code delay} after it
     * failed (Prefect's {@code retries=3, retry_delay_seconds=10}).
     *
     * @param retries 0 or more
     * @param delay zero or more
     * @return a copy of this task with the retries
     */
    public Task3<A, B, C, R> withRetries(int retries, Duration delay) {
        return new Task3<>(spec, plusRetries(Retries.of(retries).delay(delay)));
    }

    /**
     * Returns this task retrying failed tries as {@code retries} says: how many, after which delays,
     * and which failures.
     *
     * @param retries the policy
     * @return a copy of this task with the retries
     */
    public Task3<A, B, C, R> withRetries(Retries retries) {
        return new Task3<>(spec, plusRetries(retries));
    }

    /**
     * Returns this task with a time limit on each try: a try still running after {@code timeout} ends
     * {@code FAILED} with a {@link java.util.concurrent.TimeoutException} that names the limit, and its
     * thread is interrupted; retries may follow.
     *
     * @param timeout more than zero
     * @return a copy of this task with the timeout
     */
    public Task3<A, B, C, R> withTimeout(Duration timeout) {
        return new Task3<>(spec, plusTimeout(timeout));
    }
}
