package dev.weft.internal;

import dev.weft.Resources;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.TaskRunner;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One call of a task in a flow run: a future to the user, a call to the runner, a dependent of the runs
 * whose futures it was given.
 *
 * <p>A submitted run counts its unresolved inputs, plus one that registration itself holds so that the
 * count cannot reach zero before every input is registered. Each input that completes takes one off;
 * whoever takes the last one hands the run to the runner, on its own thread, by continuation. No thread
 * waits for an input. An input that did not complete ends the run at once, naming that input.
 *
 * @param <T> the value type
 */
public final class TaskRun<T> extends Node<T> implements TaskRunner.Call, Dependent {
    private static final VarHandle UNRESOLVED;
    private static final VarHandle PHASE;

    // Handshake between run() returning and an asynchronous body's stage completing.
    private static final int IN_RUN = 0;
    private static final int RETURNED = 1;
    private static final int ENDED_IN_RUN = 2;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            UNRESOLVED = lookup.findVarHandle(TaskRun.class, "unresolved", int.class);
            PHASE = lookup.findVarHandle(TaskRun.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final FlowRun flow;
    private final TaskSpec spec;
    private final int index;
    private final int priority;
    private final Resources resources;
    private Object[] args;
    private String name;
    private Runnable whenFinal;

    @SuppressWarnings("unused") // accessed through UNRESOLVED
    private volatile int unresolved;

    @SuppressWarnings("unused") // accessed through PHASE
    private volatile int phase;

    TaskRun(TaskSpec spec, FlowRun flow, int index, Object[] args, int priority, Resources resources) {
        super(StateType.PENDING);
        this.spec = spec;
        this.flow = flow;
        this.index = index;
        this.args = args;
        this.priority = priority;
        this.resources = resources;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public Resources resources() {
        return resources;
    }

    @Override
    public String name() {
        String n = name;
        if (n == null) {
            name = n = spec.name() + "-" + spec.key() + "-" + index;
        }
        return n;
    }

    @Override
    protected String label() {
        return "Task run '" + name() + "'";
    }

    // ---- inputs -----------------------------------------------------------------------------------

    /** Registers on the given upstream runs and hands the run to the runner once all have completed. */
    void submit(Node<?>[] upstream) {
        if (upstream.length == 0) {
            flow.dispatch(this);
            return;
        }
        UNRESOLVED.setVolatile(this, upstream.length + 1);
        for (Node<?> node : upstream) {
            if (node.isDone() || !node.addDependent(this)) {
                Node<?> ended = upstreamFinished(node);
                if (ended != null) {
                    propagate(ended);
                    return;
                }
            }
        }
        if ((int) UNRESOLVED.getAndAdd(this, -1) == 1) {
            flow.dispatch(this);
        }
    }

    @Override
    public Node<?> upstreamFinished(Node<?> upstream) {
        if (isDone()) {
            return null;
        }
        if (!upstream.finalState().isCompleted()) {
            return complete(upstreamEnded("Upstream", upstream)) ? this : null;
        }
        if ((int) UNRESOLVED.getAndAdd(this, -1) == 1 && !isDone()) {
            flow.dispatch(this);
        }
        return null;
    }

    /** Runs the call on the calling thread, in place, after waiting for its inputs there. */
    void runInPlace(Node<?>[] upstream) {
        UNRESOLVED.setVolatile(this, upstream.length);
        for (Node<?> node : upstream) {
            if (!node.await().isCompleted()) {
                finish(upstreamEnded("Upstream", node));
                return;
            }
            UNRESOLVED.getAndAdd(this, -1);
        }
        if (!run(null)) {
            await();
        }
    }

    // ---- running ----------------------------------------------------------------------------------

    @Override
    public boolean run(Runnable whenFinal) {
        if (!transition(StateType.RUNNING)) {
            return true;
        }
        Object previous = Context.enter(this);
        Annotations.Scope scope = Annotations.suspend();
        try {
            Object[] input;
            try {
                input = Inputs.resolve(args);
                args = null;
            } catch (RuntimeException | Error e) {
                finish(State.<T>crashed("Task run crashed: its inputs could not be resolved: " + e, e)
                        .forRun(label()));
                return true;
            }
            Object value;
            try {
                value = spec.body().invoke(input);
            } catch (Throwable t) {
                finish(thrown(t));
                return true;
            }
            if (!spec.async()) {
                finish(completed(value));
                return true;
            }
            return awaitStage(value, whenFinal);
        } finally {
            Annotations.resume(scope);
            Context.restore(previous);
        }
    }

    private boolean awaitStage(Object value, Runnable listener) {
        if (!(value instanceof CompletionStage<?> stage)) {
            finish(thrown(new IllegalStateException(
                    "Asynchronous task '" + spec.name() + "' returned " + value + " instead of a CompletionStage")));
            return true;
        }
        this.whenFinal = listener;
        stage.whenComplete(this::stageDone);
        if (PHASE.compareAndSet(this, IN_RUN, RETURNED)) {
            return false;
        }
        this.whenFinal = null;
        return true;
    }

    private void stageDone(Object value, Throwable error) {
        if (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        finish(error == null ? completed(value) : thrown(error));
        if (!PHASE.compareAndSet(this, IN_RUN, ENDED_IN_RUN)) {
            Runnable listener = whenFinal;
            whenFinal = null;
            if (listener != null) {
                listener.run();
            }
        }
    }

    @Override
    public void crash(Throwable cause) {
        finish(State.<T>crashed("Task run crashed: the task runner could not run it: " + cause, cause)
                .forRun(label()));
    }

    @SuppressWarnings("unchecked")
    private State<T> completed(Object value) {
        return State.completed((T) value);
    }

    private State<T> thrown(Throwable t) {
        if (isCrash(t)) {
            return State.<T>crashed("Task run crashed: " + t, t).forRun(label());
        }
        return State.<T>failed("Task run encountered an exception: " + t, t).forRun(label());
    }

    /** Errors of the JVM itself, not of the task's logic: out of memory or stack, broken class linkage. */
    static boolean isCrash(Throwable t) {
        return t instanceof VirtualMachineError || t instanceof LinkageError;
    }

    // ---- state ------------------------------------------------------------------------------------

    @Override
    protected State<T> liveState(StateType type) {
        if (type == StateType.PENDING) {
            int inputs = (int) UNRESOLVED.getVolatile(this);
            return State.of(
                    type,
                    inputs > 0
                            ? "Waiting for " + inputs + " upstream run" + (inputs == 1 ? "" : "s")
                            : "Waiting for task runner `" + flow.runnerName() + "` to start it"
                                    + (resources.isEmpty() ? "" : " on a worker with " + resources + " free"));
        }
        return State.of(type);
    }

    @Override
    protected void transitioned(StateType to, State<T> finalState) {
        flow.recorder().record(Event.Kind.TASK_STATE, this, finalState != null ? finalState : to);
    }

    @Override
    protected void afterFinal() {
        flow.runFinished(finalState());
    }
}
