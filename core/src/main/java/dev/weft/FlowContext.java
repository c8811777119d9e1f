package dev.weft;

import dev.weft.internal.Engine;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The flow run (or task run) the calling thread works for, to carry to threads that a flow's body or a
 * task starts itself.
 *
 * <p>A flow run follows its body's thread and the threads its runner runs tasks on, so that {@code
 * task.submit(...)} there submits into it. It does not follow threads that user code starts or borrows:
 * a parallel stream's workers, an executor's threads, a callback of a client library. A submit there fails,
 * naming the cause. Where the work is one run per element, {@code task.map(elements)} is simplest; where
 * such a thread must submit, capture the context on the flow's thread and wrap the work:
 *
 * <pre>{@code
 * FlowContext context = FlowContext.current();
 * List<TaskFuture<Integer>> runs = rows.parallelStream().map(context.wrap(row -> parse.submit(row))).toList();
 * pool.submit(context.wrap(() -> upload.submit(file)));
 * CompletableFuture.runAsync(() -> upload.submit(file), context.executor(pool));
 * }</pre>
 *
 * <p>A wrapped piece of work runs as if on the thread that captured the context: its submits and calls go
 * into that flow run, until the flow run ends (after which they fail, as any late submit does). Contexts
 * are immutable and safe to share between threads.
 */
public final class FlowContext {
    private final Object current;
    private final String flowRunName;

    private FlowContext(Object current, String flowRunName) {
        this.current = current;
        this.flowRunName = flowRunName;
    }

    /**
     * Captures the flow run the calling thread works for.
     *
     * @return the context
     * @throws IllegalStateException outside a flow run
     */
    public static FlowContext current() {
        Object captured = Engine.captureContext();
        if (captured == null) {
            throw new IllegalStateException(
                    "FlowContext.current() was called outside of a flow run: capture it in a flow's body or a task");
        }
        return new FlowContext(captured, Engine.flowRunName(captured));
    }

    /**
     * Returns the name of the flow run, such as {@code olivine-swan}.
     *
     * @return the name
     */
    public String flowRunName() {
        return flowRunName;
    }

    /**
     * Wraps work to run in this context on whatever thread runs it.
     *
     * @param work the work
     * @return the wrapped work
     */
    public Runnable wrap(Runnable work) {
        Objects.requireNonNull(work, "work");
        return () -> {
            Object previous = Engine.enterContext(current);
            try {
                work.run();
            } finally {
                Engine.restoreContext(previous);
            }
        };
    }

    /**
     * Wraps work that returns a value to run in this context on whatever thread runs it.
     *
     * @param work the work
     * @param <V> the value type
     * @return the wrapped work
     */
    public <V> Callable<V> wrap(Callable<V> work) {
        Objects.requireNonNull(work, "work");
        return () -> {
            Object previous = Engine.enterContext(current);
            try {
                return work.call();
            } finally {
                Engine.restoreContext(previous);
            }
        };
    }

    /**
     * Wraps a function to run in this context on whatever thread calls it: for {@code map} of a parallel
     * stream.
     *
     * @param function the function
     * @param <A> the argument type
     * @param <B> the result type
     * @return the wrapped function
     */
    public <A, B> Function<A, B> wrap(Function<A, B> function) {
        Objects.requireNonNull(function, "function");
        return a -> {
            Object previous = Engine.enterContext(current);
            try {
                return function.apply(a);
            } finally {
                Engine.restoreContext(previous);
            }
        };
    }

    /**
     * Wraps an executor so that everything it is given runs in this context.
     *
     * @param executor the executor
     * @return an executor that wraps each task and hands it to {@code executor}
     */
    public Executor executor(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return task -> executor.execute(wrap(task));
    }

    @Override
    public String toString() {
        return "FlowContext[flow run '" + flowRunName + "']";
    }
}
