package dev.weft.internal;

import dev.weft.Resources;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.TaskRunner;
import dev.weft.WeftException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;

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
    private static final VarHandle SLOTS;
    private static final String[] NO_TAGS = new String[0];

    // Whether the run holds slots on its tags: none yet, held, given back.
    private static final int NO_SLOTS = 0;
    private static final int HELD = 1;
    private static final int GIVEN_BACK = 2;

    // Handshake between run() returning and an asynchronous body's stage completing.
    private static final int IN_RUN = 0;
    private static final int RETURNED = 1;
    private static final int ENDED_IN_RUN = 2;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            UNRESOLVED = lookup.findVarHandle(TaskRun.class, "unresolved", int.class);
            PHASE = lookup.findVarHandle(TaskRun.class, "phase", int.class);
            SLOTS = lookup.findVarHandle(TaskRun.class, "slots", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final FlowRun flow;
    private final TaskSpec spec;
    private final int index;
    private final int priority;
    private final Resources resources;
    private final String[] tags;
    private final TaskRun<?> inPlaceCaller;
    private Object[] args;
    private String name;
    private Runnable whenFinal;

    @SuppressWarnings("unused") // accessed through UNRESOLVED
    private volatile int unresolved;

    @SuppressWarnings("unused") // accessed through PHASE
    private volatile int phase;

    @SuppressWarnings("unused") // accessed through SLOTS
    private volatile int slots;

    // Set for a run with tags, by the limiter that admits it.
    private volatile Limiter limiter;
    private volatile String waitingTag;
    private volatile int waitingLimit;
    private volatile Thread inPlaceWaiter;
    private volatile boolean admitted;

    /** The tag whose queue the run sits in; guarded by the limiter's lock. */
    String queuedOn;

    TaskRun(TaskSpec spec, FlowRun flow, int index, Object[] args, int priority, Resources resources, String[] tags) {
        this(spec, flow, index, args, priority, resources, tags, null);
    }

    TaskRun(
            TaskSpec spec,
            FlowRun flow,
            int index,
            Object[] args,
            int priority,
            Resources resources,
            String[] tags,
            TaskRun<?> inPlaceCaller) {
        super(StateType.PENDING);
        this.spec = spec;
        this.flow = flow;
        this.index = index;
        this.args = args;
        this.priority = priority;
        this.resources = resources;
        this.tags = tags.length == 0 ? NO_TAGS : tags;
        this.inPlaceCaller = inPlaceCaller;
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
            ready();
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
            ready();
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
            ready();
        }
        return null;
    }

    /** Every input has completed: the runner gets the run, once it holds slots on its limited tags. */
    private void ready() {
        if (tags.length == 0) {
            flow.dispatch(this);
            return;
        }
        Limiter l;
        try {
            l = Limiter.shared();
        } catch (RuntimeException e) {
            slotsUnavailable("the store of concurrency limits", e);
            return;
        }
        limiter = l;
        l.admit(this);
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
        if (tags.length > 0 && !awaitSlots()) {
            return;
        }
        if (!run(null)) {
            await();
        }
    }

    /** For a call in place: takes the slots on the calling thread, waiting there while queued. */
    private boolean awaitSlots() {
        inPlaceWaiter = Thread.currentThread();
        ready();
        boolean interrupted = false;
        while (!admitted && !isDone()) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return admitted && !isDone();
    }

    // ---- slots ------------------------------------------------------------------------------------

    /** Returns the run's tags, without repeats. */
    List<String> tags() {
        return Arrays.asList(tags);
    }

    /** Returns the id the run's slots are held under: the run's id. */
    UUID slotId() {
        return id();
    }

    /**
     * Returns the run that waits on this one to end while holding what it holds: the task run that called
     * it in place, or the one that called its subflow.
     */
    TaskRun<?> caller() {
        return inPlaceCaller != null ? inPlaceCaller : flow.caller();
    }

    boolean isCalledBy(TaskRun<?> run) {
        for (TaskRun<?> c = caller(); c != null; c = c.caller()) {
            if (c == run) {
                return true;
            }
        }
        return false;
    }

    /** Says what {@code ancestor} waits on, that leads to this run: a subflow run, or this run in place. */
    String waitedOnBy(TaskRun<?> ancestor) {
        TaskRun<?> run = this;
        while (run != null) {
            if (run.inPlaceCaller == ancestor) {
                return run == this
                        ? "this run, which it called in place"
                        : run.label().toLowerCase(Locale.ROOT).charAt(0)
                                + run.label().substring(1) + ", which it called in place";
            }
            if (run.inPlaceCaller == null && run.flow.caller() == ancestor) {
                return "subflow run '" + run.flow.name() + "', which this run belongs to";
            }
            run = run.caller();
        }
        return "this run";
    }

    void admitted() {
        SLOTS.compareAndSet(this, NO_SLOTS, HELD);
        if (isDone()) {
            giveBackSlots(null);
            return;
        }
        admitted = true;
        Thread waiter = inPlaceWaiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        } else {
            flow.dispatch(this);
        }
    }

    void queued(String tag, int limit) {
        waitingTag = tag;
        waitingLimit = limit;
        if (type() == StateType.PENDING) {
            transition(StateType.QUEUED);
        }
    }

    void aborted(String tag) {
        String message = "Aborted: the concurrency limit on tag '" + tag + "' is 0, so "
                + label().toLowerCase(Locale.ROOT).charAt(0) + label().substring(1)
                + " can never run; raise the limit or delete it to run the tag's"
                + " tasks";
        finish(State.<T>of(StateType.CANCELLED, "Aborted", message, null, null).forRun(label()));
        wakeInPlaceWaiter();
    }

    void deadlocked(String message) {
        finish(State.<T>failed(message, new WeftException(message)).forRun(label()));
        wakeInPlaceWaiter();
    }

    void slotsUnavailable(String store, RuntimeException e) {
        finish(State.<T>crashed(
                        "Task run crashed: it could not take slots on its tags " + tags() + " from " + store + ": "
                                + e.getMessage(),
                        e)
                .forRun(label()));
        wakeInPlaceWaiter();
    }

    private void wakeInPlaceWaiter() {
        Thread waiter = inPlaceWaiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** Gives back the run's slots once, keeping its flow run open until the store has them. */
    private void giveBackSlots(FlowRun holdOpen) {
        if (!SLOTS.compareAndSet(this, HELD, GIVEN_BACK)) {
            return;
        }
        if (holdOpen != null) {
            holdOpen.hold();
            limiter.release(this, holdOpen::unhold);
        } else {
            limiter.release(this, () -> {});
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
        if (type == StateType.QUEUED) {
            String tag = waitingTag;
            if (tag != null) {
                int limit = waitingLimit;
                return State.of(
                        type,
                        "Waiting for a concurrency slot on tag '" + tag + "': all " + limit + " slot"
                                + (limit == 1 ? " is" : "s are") + " taken");
            }
        }
        return State.of(type);
    }

    @Override
    protected void transitioned(StateType to, State<T> finalState) {
        Object detail = finalState != null ? finalState : to == StateType.QUEUED ? liveState(to) : to;
        flow.recorder().record(Event.Kind.TASK_STATE, this, detail);
    }

    @Override
    protected void afterFinal() {
        Limiter l = limiter;
        if (l != null) {
            if ((int) SLOTS.getVolatile(this) == HELD) {
                giveBackSlots(flow);
            } else {
                l.forget(this);
            }
        }
        flow.runFinished(finalState());
    }
}
