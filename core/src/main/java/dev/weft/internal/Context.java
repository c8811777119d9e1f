package dev.weft.internal;

/**
 * What the calling thread is running: a flow run's body, or a task run. It follows work into every
 * runner, so that a task that submits tasks submits into its own flow run. A {@link PoolThread} keeps it in a
 * field of its own, any other thread in a thread-local.
 */
final class Context {
    private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();

    private Context() {}

    /** Returns the flow run the calling thread works for, or null outside any flow. */
    static FlowRun flowRun() {
        return flowRunOf(current());
    }

    /** Returns the flow run of what a thread works for: a flow run, or a task run in one. */
    static FlowRun flowRunOf(Object current) {
        if (current instanceof TaskRun<?> run) {
            return run.flow;
        }
        return current instanceof FlowRun flow ? flow : null;
    }

    /**
     * A task run whose call runs away from its flow run's process, from the bytes of a {@link
     * dev.weft.runner.CallEnvelope}: it cannot reach its flow run to submit into.
     *
     * @param run the task run's name
     */
    record Elsewhere(String run) {}

    /**
     * Throws if the calling thread runs a call away from its flow run: what it tried cannot be tracked.
     *
     * @param what what it tried, such as {@code submit task 'add'}
     * @throws IllegalStateException saying so, in one line
     */
    static void refuseElsewhere(String what) {
        if (current() instanceof Elsewhere e) {
            throw new IllegalStateException("Task run '" + e.run() + "' cannot " + what + ": it runs in another"
                    + " JVM than its flow run, and this task runner cannot carry new runs back to it; return"
                    + " the values instead and submit from the flow, or use a runner whose calls stay in"
                    + " process");
        }
    }

    /** Returns what the calling thread works for: a flow run, a task run, or null. */
    static Object current() {
        return Thread.currentThread() instanceof PoolThread pool ? pool.context : CURRENT.get();
    }

    /** Returns the task run whose body the calling thread runs, or null. */
    static TaskRun<?> taskRun() {
        return current() instanceof TaskRun<?> run ? run : null;
    }

    /** Makes {@code runOrFlow} current and returns what was current before. */
    static Object enter(Object runOrFlow) {
        if (Thread.currentThread() instanceof PoolThread pool) {
            Object previous = pool.context;
            pool.context = runOrFlow;
            return previous;
        }
        Object previous = CURRENT.get();
        CURRENT.set(runOrFlow);
        return previous;
    }

    static void restore(Object previous) {
        if (Thread.currentThread() instanceof PoolThread pool) {
            pool.context = previous;
            return;
        }
        CURRENT.set(previous); // not remove(): a pool thread would then remake the map entry on every call
    }
}
