package dev.weft.internal;

import dev.weft.State;
import dev.weft.StateType;
import dev.weft.TaskRunner;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of a flow: its name, its runner, and what it needs to compute its final state. It keeps
 * counts, not runs, so that a flow of a million task runs holds no more than the futures its caller
 * keeps.
 *
 * <p>{@code open} counts what has not ended: the body (one) and every run submitted or called in the
 * flow. It reaches zero once, after the body has returned and every run is final; from then on the flow
 * run accepts nothing more.
 */
public final class FlowRun {
    private static final VarHandle OPEN;
    private static final VarHandle COMPLETED;
    private static final VarHandle FAILED;
    private static final VarHandle CRASHED;
    private static final VarHandle CANCELLED;
    private static final VarHandle FIRST_FAILURE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OPEN = lookup.findVarHandle(FlowRun.class, "open", long.class);
            COMPLETED = lookup.findVarHandle(FlowRun.class, "completed", int.class);
            FAILED = lookup.findVarHandle(FlowRun.class, "failed", int.class);
            CRASHED = lookup.findVarHandle(FlowRun.class, "crashed", int.class);
            CANCELLED = lookup.findVarHandle(FlowRun.class, "cancelled", int.class);
            FIRST_FAILURE = lookup.findVarHandle(FlowRun.class, "firstFailure", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String flowName;
    private final String name;
    private final FlowRun parent;
    private final TaskRun<?> caller;
    private final Recorder recorder;
    private final ConcurrentHashMap<String, AtomicInteger> callIndex = new ConcurrentHashMap<>();
    private volatile TaskRunner runner;
    private volatile Thread waiter;

    private volatile long open = 1;

    @SuppressWarnings("unused") // accessed through COMPLETED
    private volatile int completed;

    @SuppressWarnings("unused") // accessed through FAILED
    private volatile int failed;

    @SuppressWarnings("unused") // accessed through CRASHED
    private volatile int crashed;

    @SuppressWarnings("unused") // accessed through CANCELLED
    private volatile int cancelled;

    private volatile State<?> firstFailure;

    FlowRun(String flowName, String name, FlowRun parent, TaskRun<?> caller, Recorder recorder) {
        this.flowName = flowName;
        this.name = name;
        this.parent = parent;
        this.caller = caller;
        this.recorder = recorder;
    }

    /** Returns the task run whose body called this subflow and waits for it, or null. */
    TaskRun<?> caller() {
        return caller;
    }

    /** Returns the run's adjective-noun name. */
    public String name() {
        return name;
    }

    /** Returns the flow's name. */
    public String flowName() {
        return flowName;
    }

    /** Returns whether this run was called inside another flow run. */
    public boolean isSubflow() {
        return parent != null;
    }

    /** Returns the recorder this run and its task runs report to. */
    Recorder recorder() {
        return recorder;
    }

    String label() {
        return (parent != null ? "Subflow run '" : "Flow run '") + name + "'";
    }

    String runnerName() {
        TaskRunner r = runner;
        return r == null ? "(not started)" : r.name();
    }

    void useRunner(TaskRunner started) {
        this.runner = started;
    }

    int nextIndex(String taskKey) {
        return callIndex.computeIfAbsent(taskKey, k -> new AtomicInteger()).getAndIncrement();
    }

    /** Counts a new run; refuses once the flow run has ended. */
    void runStarted() {
        for (; ; ) {
            long o = open;
            if (o == 0) {
                throw new IllegalStateException(label() + " of flow '" + flowName
                        + "' has finished and accepts no more runs; submit tasks while the flow runs,"
                        + " from its body or from its tasks");
            }
            if (OPEN.compareAndSet(this, o, o + 1)) {
                return;
            }
        }
    }

    /** Counts a run's final state. Called once per run, after its waiters were told. */
    void runFinished(State<?> state) {
        switch (state.type()) {
            case COMPLETED -> COMPLETED.getAndAdd(this, 1);
            case CANCELLED -> CANCELLED.getAndAdd(this, 1);
            case CRASHED -> {
                CRASHED.getAndAdd(this, 1);
                FIRST_FAILURE.compareAndSet(this, null, state);
            }
            default -> {
                FAILED.getAndAdd(this, 1);
                FIRST_FAILURE.compareAndSet(this, null, state);
            }
        }
        close();
    }

    void bodyFinished() {
        close();
    }

    /** Keeps the flow run open for work a final run still has to finish, such as giving back slots. */
    void hold() {
        OPEN.getAndAdd(this, 1L);
    }

    /** Ends a {@link #hold()}. */
    void unhold() {
        close();
    }

    private void close() {
        if ((long) OPEN.getAndAdd(this, -1L) == 1L) {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /** Hands a ready run to the runner; a runner that refuses it crashes the run. */
    void dispatch(TaskRun<?> run) {
        try {
            runner.submit(run);
        } catch (RuntimeException | Error e) {
            run.crash(e);
        }
    }

    /** Waits until the body has returned and every run has ended. */
    void awaitRuns() {
        waiter = Thread.currentThread();
        if (open == 0) {
            return;
        }
        Helper helper = Helper.current();
        if (helper != null) {
            helper.helpUntil(() -> open == 0, false, 0L);
            return;
        }
        boolean interrupted = false;
        while (open != 0) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Computes the final state once every run has ended. */
    <R> State<R> finalState(R value, Throwable bodyError) {
        int done = completed;
        int bad = failed + crashed;
        int total = done + bad + cancelled;
        State<R> state;
        if (bodyError != null) {
            String message = "Flow run encountered an exception: " + bodyError;
            state = TaskRun.isCrash(bodyError) ? State.crashed(message, bodyError) : State.failed(message, bodyError);
        } else if (done == total) {
            state = State.of(StateType.COMPLETED, "Completed", "All states completed.", value, null);
        } else if (bad > 0) {
            State<?> first = firstFailure;
            state = State.failed(bad + "/" + total + " states failed.", first == null ? null : first.exception());
        } else {
            state = State.cancelled(cancelled + "/" + total + " states cancelled.");
        }
        return state.forRun(label());
    }
}
