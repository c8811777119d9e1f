package dev.weft.internal;

/**
 * What the calling thread is running: a flow run's body, or a task run. It follows work into every
 * runner, so that a task that submits tasks submits into its own flow run.
 */
final class Context {
    private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();

    private Context() {}

    /** Returns the flow run the calling thread works for, or null outside any flow. */
    static FlowRun flowRun() {
        return flowRunOf(CURRENT.get());
    }

    /** Returns the flow run of what a thread works for: a flow run, or a task run in one. */
    static FlowRun flowRunOf(Object current) {
        if (current instanceof TaskRun<?> run) {
            return run.flow;
        }
        return (FlowRun) current;
    }

    /** Returns what the calling thread works for: a flow run, a task run, or null. */
    static Object current() {
        return CURRENT.get();
    }

    /** Returns the task run whose body the calling thread runs, or null. */
    static TaskRun<?> taskRun() {
        return CURRENT.get() instanceof TaskRun<?> run ? run : null;
    }

    /** Makes {@code runOrFlow} current and returns what was current before. */
    static Object enter(Object runOrFlow) {
        Object previous = CURRENT.get();
        CURRENT.set(runOrFlow);
        return previous;
    }

    static void restore(Object previous) {
        CURRENT.set(previous); // not remove(): a pool thread would then remake the map entry on every call
    }
}
