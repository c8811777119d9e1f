package dev.weft.internal;

import dev.weft.InsufficientResourcesException;
import dev.weft.Resources;
import dev.weft.Retries;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.TaskRunner;
import dev.weft.runner.CallEnvelope;
import dev.weft.runner.Park;
import dev.weft.runner.TaskFunction;
import dev.weft.runner.WaitHelper;
import dev.weft.runner.WorkerFailedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
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
 * <p>Its concerns live apart: its inputs here; its slots on tags in {@link RunSlots}, which is all the
 * limiter sees; its tries, timeouts and retries in {@link RunTries}; what it says while it waits in {@link
 * RunMessages}; the hand-overs to a runner that sends calls away, and losses of workers, in its {@code
 * Away} part. Every move is a named {@link Transition}. Runs without tags, retries, timeouts or losses carry
 * none of those side objects.
 *
 * <p>The body's thread is published in {@code body} while the body runs ({@link BodyThread}), so that a
 * cancel or a timeout interrupts it and nothing else.
 *
 * @param <T> the value type
 */
public final class TaskRun<T> extends Node<T> implements TaskRunner.Call, Dependent {
    private static final VarHandle UNRESOLVED;
    private static final VarHandle BODY;
    private static final VarHandle ASIDE;
    private static final State<?> QUEUED_PROBE = State.of(StateType.QUEUED);
    private static final State<?> RETRY_PROBE = State.of(StateType.AWAITING_RETRY);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            UNRESOLVED = lookup.findVarHandle(TaskRun.class, "unresolved", int.class);
            BODY = lookup.findVarHandle(TaskRun.class, "body", Object.class);
            ASIDE = lookup.findVarHandle(TaskRun.class, "aside", Aside.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final FlowRun flow;
    private final TaskSpec spec;
    private final int index;

    /** Its priority, resources, slots and tries; runs with none of them share {@link Terms#PLAIN}. */
    private final Terms terms;

    /** Its arguments: the one argument itself where its task's body takes one ({@link TaskSpec#single()}). */
    private Object args;

    private String name;

    /** What a run needs once a runner lost it or calls it from elsewhere; null until then. */
    private volatile Away away;

    /** What only some runs need, kept out of the run; null until one of them is needed (see {@link Aside}). */
    private volatile Aside aside;

    /** The run's slot among its flow run's live runs. */
    int liveSlot = -1;

    @SuppressWarnings("unused") // accessed through UNRESOLVED
    private volatile int unresolved;

    @SuppressWarnings("unused") // accessed through BODY
    private volatile Object body;

    TaskRun(
            TaskSpec spec,
            FlowRun flow,
            int index,
            Object args,
            int priority,
            Resources resources,
            String[] tags,
            TaskRun<?> inPlaceCaller,
            boolean inPlace,
            Retries retries,
            Duration timeout) {
        super(StateType.PENDING);
        this.spec = spec;
        this.flow = flow;
        this.index = index;
        this.args = args;
        this.aside = inPlace || inPlaceCaller != null ? new Aside(inPlaceCaller, inPlace) : null;
        RunSlots slots = tags.length == 0 ? null : new RunSlots(this, tags);
        RunTries tries =
                retries.retries() > 0 || timeout != null || spec.async() ? new RunTries(retries, timeout) : null;
        this.terms = priority == 0 && resources == Resources.NONE && slots == null && tries == null
                ? Terms.PLAIN
                : new Terms(priority, resources, slots, tries);
    }

    /**
     * What a run was submitted with besides its task and inputs, kept apart so that a run without any of it
     * is smaller: its priority, the resources it needs, its slots on limited tags ({@link RunSlots}), and its
     * tries ({@link RunTries}: retries, a timeout, an asynchronous body).
     */
    private record Terms(int priority, Resources resources, RunSlots slots, RunTries tries) {
        /** What a run with priority 0, no resources, no tags and one plain try has. */
        static final Terms PLAIN = new Terms(0, Resources.NONE, null, null);
    }

    @Override
    public int priority() {
        return terms.priority;
    }

    @Override
    public Resources resources() {
        return terms.resources;
    }

    @Override
    public String name() {
        String n = name;
        if (n == null) {
            name = n = name(spec, index);
        }
        return n;
    }

    @Override
    protected String label() {
        return "Task run '" + name() + "'";
    }

    String lowerLabel() {
        String l = label();
        return Character.toLowerCase(l.charAt(0)) + l.substring(1);
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
            if (!register(node)) {
                return;
            }
        }
        if ((int) UNRESOLVED.getAndAdd(this, -1) == 1) {
            ready();
        }
    }

    /** As {@link #submit(Node[])} with one upstream run: the future that is a task's one argument. */
    void submit(Node<?> upstream) {
        UNRESOLVED.setVolatile(this, 2);
        if (register(upstream) && (int) UNRESOLVED.getAndAdd(this, -1) == 1) {
            ready();
        }
    }

    /** Registers on an upstream run; false if that ended this run. */
    private boolean register(Node<?> upstream) {
        if (upstream.isDone() || !upstream.addDependent(this)) {
            Node<?> ended = upstreamFinished(upstream);
            if (ended != null) {
                propagate(ended);
                return false;
            }
        }
        return true;
    }

    @Override
    public Node<?> upstreamFinished(Node<?> upstream) {
        if (isDone()) {
            return null;
        }
        if (!upstream.endedCompleted()) {
            return settle(upstreamEnded("Upstream", upstream)) ? this : null;
        }
        if ((int) UNRESOLVED.getAndAdd(this, -1) == 1 && !isDone()) {
            ready();
        }
        return null;
    }

    /** Every input has completed: the runner gets the run, once it holds slots on its limited tags. */
    void ready() {
        if (isDone()) {
            return;
        }
        String cancelled = flow.cancelledBy();
        if (cancelled != null) {
            cancel(cancelled);
            return;
        }
        if (terms.slots == null) {
            flow.dispatch(this);
            return;
        }
        terms.slots.ask();
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
        RunTries t = terms.tries;
        if (t != null) {
            t.inPlaceThread = Thread.currentThread();
        }
        boolean interrupted = false;
        for (; ; ) {
            if (terms.slots != null && !terms.slots.awaitInPlace()) {
                return;
            }
            boolean ended = run(null);
            if (t == null) {
                if (!ended) {
                    await();
                }
                return;
            }
            // Asynchronous, or retrying: wait for the end of the run or for the next try to be due.
            Park.uninterruptibly(() -> isDone() || t.retryDue, this);
            interrupted |= Thread.interrupted();
            if (isDone()) {
                break;
            }
            t.retryDue = false;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- slots: see RunSlots ----------------------------------------------------------------------

    @Override
    public List<String> tags() {
        return terms.slots == null ? List.of() : terms.slots.tags();
    }

    /**
     * QUEUE: no slot is free on one of its tags. Two attempts for its slots may both find a tag full, and
     * one may get the slots as the other says so: a run already queued, or started, stays as it is.
     *
     * @return whether this call queued it
     */
    boolean queue() {
        return transitionIfLeaving(Transition.QUEUE);
    }

    /** Ends the run in a state decided by its slots (aborted, deadlocked, a broken store). */
    @SuppressWarnings("unchecked")
    void end(State<?> state) {
        finish(((State<T>) state).forRun(label()));
    }

    /**
     * Returns the run that waits on this one to end while holding what it holds: the task run that called
     * it in place, or the one that called its subflow.
     */
    TaskRun<?> caller() {
        TaskRun<?> inPlaceCaller = inPlaceCaller();
        return inPlaceCaller != null ? inPlaceCaller : flow.caller();
    }

    /** The task run that called this one in place, or null. */
    private TaskRun<?> inPlaceCaller() {
        Aside a = aside;
        return a == null ? null : a.inPlaceCaller;
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
            TaskRun<?> inPlaceCaller = run.inPlaceCaller();
            if (inPlaceCaller == ancestor) {
                return run == this
                        ? "this run, which it called in place"
                        : run.lowerLabel() + ", which it called in place";
            }
            if (inPlaceCaller == null && run.flow.caller() == ancestor) {
                return "subflow run '" + run.flow.name() + "', which this run belongs to";
            }
            run = run.caller();
        }
        return "this run";
    }

    // ---- running ----------------------------------------------------------------------------------

    /**
     * Begins a try unless the flow run was cancelled while this run waited (then the run never starts).
     * Returns the try's number, or 0 if the run must not start.
     */
    private int begin() {
        return cancelIfFlowCancelled() ? 0 : startTry();
    }

    private boolean cancelIfFlowCancelled() {
        String cancelled = flow.cancelledBy();
        if (cancelled == null) {
            return false;
        }
        cancel(cancelled);
        return true;
    }

    /**
     * START: moves to RUNNING and begins a try (its number, its timeout). Calls nothing of a runner. Returns
     * the try's number, or 0 if the run has ended meanwhile.
     */
    private int startTry() {
        // The history's start, taken before the move that publishes it to whichever thread ends the run; a
        // retry keeps its first try's.
        Aside marks = History.on() ? aside() : null;
        long at = marks != null && marks.startedNanos == 0 ? System.nanoTime() : 0;
        if (at != 0) {
            marks.startedNanos = at;
        }
        if (!transition(Transition.START)) {
            if (at != 0) {
                marks.startedNanos = 0;
            }
            return 0;
        }
        RunTries t = terms.tries;
        int tryNo = 1;
        if (t != null) {
            tryNo = ++t.current;
            t.resetGate();
            t.retryDelay = null;
            t.enterRun();
            if (t.timeout != null) {
                int timed = tryNo;
                t.deadline = flow.scheduler().now().plus(t.timeout);
                t.timer = flow.scheduler().schedule(() -> timeOut(timed), t.timeout);
            }
        }
        return tryNo;
    }

    @Override
    public boolean run(Runnable whenFinal) {
        Aside a = aside;
        if (a != null && a.offered != null) {
            a.offered = null; // it runs now, here or on the thread that waited for it: nothing more to offer
        }
        int tryNo = begin();
        if (tryNo == 0) {
            return true;
        }
        FlightEvents.taskRunsHere(this);
        if (History.on()) {
            aside().ranOn = Thread.currentThread(); // read after the run's end, which the recorder orders
        }
        RunTries t = terms.tries;
        Object previous = Context.enter(this);
        Annotations.Scope scope = Annotations.suspend();
        try {
            Object input;
            try {
                input = input(t);
            } catch (RuntimeException | Error e) {
                finish(State.<T>crashed("Task run crashed: its inputs could not be resolved: " + e, e)
                        .forRun(label()));
                return true;
            }
            BodyThread.enter(BODY, this);
            Object value = null;
            Throwable error = null;
            // A try whose timeout struck before its body began never begins: the interrupt had no thread.
            if (!isDone() && (t == null || !t.isEnded(tryNo))) {
                try {
                    value = spec.invoke(input);
                } catch (Throwable e) {
                    error = e;
                }
            }
            leaveBody();
            if (spec.async() && error == null && !isDone()) {
                return awaitStage(value, whenFinal, tryNo);
            }
            if (error instanceof WorkerFailedException failed && failed.goneWorker() != null) {
                if (t == null) {
                    args = input; // resolved: the next try on another worker takes them as they are
                }
                lost(-1, failed.goneWorker(), failed); // runs again elsewhere; its runner is done with this try
                return true;
            }
            WaitHelper.returned(this); // the runs its end makes ready may run next on this thread
            endTry(tryNo, value, error);
            arrive(t);
            return true;
        } finally {
            Annotations.resume(scope);
            Context.restore(previous);
        }
    }

    private Object input(RunTries t) {
        if (t == null) {
            Object input = Inputs.resolve(spec, args);
            args = null;
            return input;
        }
        if (!t.resolved) {
            t.input = Inputs.resolve(spec, args);
            t.resolved = true;
            args = null;
        }
        return t.input;
    }

    private void leaveBody() {
        if (BodyThread.leave(BODY, this)) {
            flow.bodyLeftAfterInterrupt();
        }
    }

    /** Interrupts the body's thread if the body is running now; returns whether it did. */
    private boolean interruptBody() {
        return BodyThread.interrupt(BODY, this, flow::bodyInterrupted);
    }

    private boolean awaitStage(Object value, Runnable listener, int tryNo) {
        RunTries t = terms.tries;
        if (!(value instanceof CompletionStage<?> stage)) {
            endTry(
                    tryNo,
                    null,
                    new IllegalStateException("Asynchronous task '" + spec.name() + "' returned " + value
                            + " instead of a CompletionStage"));
            arrive(t);
            return true;
        }
        t.stage = stage;
        t.whenFinal = listener;
        stage.whenComplete((v, e) -> stageDone(v, e, tryNo));
        if (t.returnFromRun()) {
            return false;
        }
        t.whenFinal = null;
        arrive(t); // the stage ended before run() returned; the runner is done with the try on return
        return true;
    }

    private void stageDone(Object value, Throwable error, int tryNo) {
        if (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        RunTries t = terms.tries;
        t.stage = null;
        endTry(tryNo, value, error);
        if (!t.endInRun()) {
            Runnable listener = t.whenFinal;
            t.whenFinal = null;
            if (listener != null) {
                listener.run();
            }
            arrive(t);
        }
    }

    // ---- the call as data: for runners that run it elsewhere ---------------------------------------

    /** How many times a run may be lost with its worker before it crashes (Dask's allowed-failures). */
    static final int LOSSES_MAX = 3;

    @Override
    public TaskRunner.TaskIdentity task() {
        return new TaskRunner.TaskIdentity(spec.name(), spec.key());
    }

    @Override
    public TaskFunction function() {
        return spec.body();
    }

    @Override
    public boolean async() {
        return spec.async();
    }

    @Override
    public Object[] arguments() {
        RunTries t = terms.tries;
        if (t != null) {
            return spec.asArray(input(t));
        }
        Object a = args;
        return a == null && !spec.single() ? new Object[0] : spec.asArray(Inputs.resolve(spec, a));
    }

    @Override
    public Instant deadline() {
        RunTries t = terms.tries;
        return t == null ? null : t.deadline;
    }

    @Override
    public boolean started() {
        return begin() != 0 && inputsResolve();
    }

    /** As {@link #run} does before the body: inputs that cannot be resolved crash the run. */
    private boolean inputsResolve() {
        try {
            arguments();
            return true;
        } catch (RuntimeException | Error e) {
            finish(State.<T>crashed("Task run crashed: its inputs could not be resolved: " + e, e)
                    .forRun(label()));
            return false;
        }
    }

    @Override
    public void complete(Object value) {
        endElsewhere(value, null);
    }

    @Override
    public void fail(Throwable error) {
        endElsewhere(null, error == null ? new IllegalStateException("the runner gave no exception") : error);
    }

    /** The try that a runner ran elsewhere ended there, with a value or an exception. */
    private void endElsewhere(Object value, Throwable error) {
        if (type() != StateType.RUNNING) {
            return; // ended meanwhile (cancelled, timed out), or never started: the report comes too late
        }
        RunTries t = terms.tries;
        int tryNo = t == null ? 1 : t.current;
        if (spec.async() && t != null) {
            t.stage = null;
        }
        endTry(tryNo, value, error);
        arrive(t); // the "body" is done too: nothing of the try holds a thread here
    }

    @Override
    public void lost(String worker, Throwable cause) {
        lost(-1, worker, cause);
    }

    /**
     * LOSE: the worker the run was placed or running on is gone. The lost try does not count against its
     * retries; the run goes back to the runner, or crashes once it was lost {@link #LOSSES_MAX} times.
     *
     * @param handover the hand-over that reports it, or -1 for a runner that does not track them
     */
    void lost(int handover, String worker, Throwable cause) {
        Away a = away();
        RunTries t = terms.tries;
        String why = cause == null ? "worker '" + worker + "' is gone" : String.valueOf(cause.getMessage());
        String crash = null;
        synchronized (a) {
            if (handover >= 0 && handover != a.handover) {
                return; // a report from a placement that was lost before
            }
            StateType was = type();
            if (was != StateType.RUNNING && was != StateType.PENDING) {
                return; // ended, or waiting elsewhere than at the runner
            }
            if (was == StateType.RUNNING && t != null) {
                int tryNo = t.current;
                if (!t.claimEnd(tryNo)) {
                    return; // the try's timeout ended it first: that decides what follows
                }
                t.cancelTimeout();
                t.lostTries++;
            }
            a.handover++; // a late report from the lost placement no longer counts
            a.current = null;
            a.lostOn.add(worker);
            if (a.lostOn.size() >= LOSSES_MAX) {
                crash = "Task run crashed: it was lost with its worker " + a.lostOn.size() + " times (on "
                        + String.join(", ", a.lostOn) + "); the last time: " + why;
            } else if (was == StateType.RUNNING && !transition(Transition.LOSE)) {
                return;
            }
        }
        if (crash != null) {
            finish(State.<T>crashed(crash, cause).forRun(label()));
            return;
        }
        flow.recorder()
                .record(
                        Event.Kind.TASK_AWAY,
                        this,
                        "was lost: " + why + "; it runs again (lost " + losses() + " of " + LOSSES_MAX + ")");
        String cancelled = flow.cancelledBy();
        if (cancelled != null) {
            cancel(cancelled);
            return;
        }
        flow.dispatch(this); // its slots are still held: straight back to the runner
    }

    /**
     * START for a hand-over: only the current one may start the run, and never after it was lost. The check
     * and the move are one step under the lock that a loss takes too; nothing of a runner is called there.
     */
    boolean started(int handover) {
        if (cancelIfFlowCancelled()) {
            return false;
        }
        Away a = away();
        int tryNo;
        synchronized (a) {
            tryNo = handover == a.handover ? startTry() : 0;
        }
        return tryNo != 0 && inputsResolve();
    }

    /** An outcome from a hand-over: it counts only if no later hand-over was made. */
    void ended(int handover, Object value, Throwable error) {
        if (isCurrent(handover)) {
            endElsewhere(value, error);
        }
    }

    /** Returns how many times the run was lost with its worker. */
    int losses() {
        Away a = away;
        if (a == null) {
            return 0;
        }
        synchronized (a) {
            return a.lostOn.size();
        }
    }

    private Away away() {
        Away a = away;
        if (a == null) {
            synchronized (this) {
                a = away;
                if (a == null) {
                    away = a = new Away();
                }
            }
        }
        return a;
    }

    /**
     * Returns what a runner that tracks hand-overs gets for this placement of the run: a call whose
     * reports count only while no later hand-over was made.
     */
    TaskRunner.Call handOver() {
        Away a = away();
        synchronized (a) {
            return a.current = new Handover(this, a.handover);
        }
    }

    /** Tells the runner that the call it holds ended without it (cancelled, timed out). */
    private void tellRunner(String why) {
        Aside aside = this.aside;
        if (aside != null && aside.inPlace) {
            return;
        }
        TaskRunner runner = flow.runner();
        if (runner == null) {
            return;
        }
        Away a = away;
        TaskRunner.Call given = a == null ? this : a.current;
        if (given == null) {
            return;
        }
        try {
            runner.stop(given, why);
        } catch (RuntimeException e) {
            flow.recorder().record(Event.Kind.TASK_AWAY, this, "could not be stopped by its runner: " + e);
        }
    }

    /** Whether a hand-over is the run's current one; guarded by the lock of {@link Away}. */
    boolean isCurrent(int handover) {
        Away a = away;
        if (a == null) {
            return false;
        }
        synchronized (a) {
            return a.handover == handover;
        }
    }

    /** Lost workers and hand-overs; made the first time a runner hands the run over or loses it. */
    private static final class Away {
        int handover;
        Handover current;
        final List<String> lostOn = new ArrayList<>(LOSSES_MAX);
    }

    // ---- the end of a try -------------------------------------------------------------------------

    /**
     * The body ended a try: claims the try's end, unless its timeout did, and decides what follows. The
     * caller arrives for the body once the runner is done with the try.
     */
    private void endTry(int tryNo, Object value, Throwable error) {
        RunTries t = terms.tries;
        if (t != null) {
            if (!t.claimEnd(tryNo)) {
                return; // the timeout ended this try
            }
            t.cancelTimeout();
        }
        if (error == null) {
            finishCompleted(value(value));
        } else {
            failTry(tryNo, error, thrown(error));
        }
        arrive(t); // the decision is made
    }

    /** The timeout of a try struck: ends the try, interrupts the body, and decides what follows. */
    private void timeOut(int tryNo) {
        RunTries t = terms.tries;
        if (isDone() || !t.claimEnd(tryNo)) {
            return;
        }
        String limit = RunMessages.seconds(t.timeout);
        String message = "Task run exceeded timeout of " + limit;
        TimeoutException e = new TimeoutException(label() + " exceeded timeout of " + limit);
        interruptBody();
        CompletionStage<?> stage = t.stage;
        if (stage != null) {
            stage.toCompletableFuture().cancel(true);
        }
        failTry(
                tryNo,
                e,
                State.<T>of(StateType.FAILED, "TimedOut", message, null, e).forRun(label()));
        tellRunner(message);
        arrive(t);
    }

    /** Moves to AWAITING_RETRY if the policy allows another try, else ends the run in {@code failed}. */
    private void failTry(int tryNo, Throwable error, State<T> failed) {
        RunTries t = terms.tries;
        int counted = t == null ? 1 : t.counted(tryNo);
        if (t != null && !isCrash(error) && counted <= t.retries.retries() && !isDone() && t.accepts(error)) {
            Duration delay = t.retries.delayBefore(counted);
            t.lastFailure = error;
            t.nextTry = flow.scheduler().now().plus(delay);
            t.retryDelay = delay;
            if (transition(Transition.RETRY)) {
                return;
            }
            t.retryDelay = null;
        }
        finish(failed);
    }

    /**
     * One of the two parties of a try is done: the one that decided its end, or the body (its thread and
     * resources are back with the runner). The second schedules the retry, if there is one.
     */
    private void arrive(RunTries t) {
        if (t == null || !t.arrive()) {
            return;
        }
        Duration delay = t.retryDelay;
        if (delay == null || isDone()) {
            return;
        }
        RunSlots s = terms.slots;
        if (s == null || !s.releaseBetweenTries(() -> scheduleRetry(t, delay))) { // no slot between tries
            scheduleRetry(t, delay);
        }
    }

    private void scheduleRetry(RunTries t, Duration delay) {
        if (!isDone()) {
            t.retryTimer = flow.scheduler().schedule(this::retryNow, delay);
        }
    }

    private void retryNow() {
        RunTries t = terms.tries;
        t.retryTimer = null;
        if (isDone()) {
            return;
        }
        Thread inPlace = t.inPlaceThread;
        if (inPlace != null) {
            t.retryDue = true;
            LockSupport.unpark(inPlace);
        } else {
            ready();
        }
    }

    // ---- cancelling -------------------------------------------------------------------------------

    /** Returns the thread its last try ran on in this JVM, if a history was written then; else null. */
    Thread ranOn() {
        Aside a = aside;
        return a == null ? null : a.ranOn;
    }

    /** Returns when its first try started, by {@link System#nanoTime()}; 0 if none did. */
    long startedNanos() {
        Aside a = aside;
        return a == null ? 0 : a.startedNanos;
    }

    /** Returns what only some runs need, made now if it was not. */
    private Aside aside() {
        Aside a = aside;
        if (a == null) {
            Aside made = new Aside(null, false);
            a = (Aside) ASIDE.compareAndExchange(this, null, made);
            if (a == null) {
                a = made;
            }
        }
        return a;
    }

    /**
     * What only some runs need, kept out of the run itself, which every run pays for: made with the run for
     * a run called in place, else the first time a history records the run or its runner offers it to its
     * waiter.
     */
    private static final class Aside {
        /** The task run that called it in place, or null. */
        final TaskRun<?> inPlaceCaller;

        /** Whether it was called in place. */
        final boolean inPlace;

        /** What runs it on the thread that waits for it, where its runner offered that; else null. */
        volatile Runnable offered;

        /** The thread its last try ran on in this JVM, for the history: set only while a history is written. */
        Thread ranOn;

        /** When its first try started, by {@link System#nanoTime()}, for the history; 0 if none did yet. */
        long startedNanos;

        Aside(TaskRun<?> inPlaceCaller, boolean inPlace) {
            this.inPlaceCaller = inPlaceCaller;
            this.inPlace = inPlace;
        }
    }

    TaskSpec spec() {
        return spec;
    }

    int index() {
        return index;
    }

    /** The name of a task's run of that index: its task's name and key, and the index. */
    static String name(TaskSpec spec, int index) {
        return spec.name() + "-" + spec.key() + "-" + index;
    }

    @Override
    public boolean cancel() {
        return cancel("Cancelled by the user");
    }

    /**
     * Ends the run {@code CANCELLED} unless it has ended: a waiting run never starts, a running one's body is
     * interrupted, and its slots are given back at once.
     *
     * @param reason why, for the state's message
     * @return whether this call ended the run
     */
    boolean cancel(String reason) {
        return stop(reason, false);
    }

    /**
     * Ends the run because the process is stopping: {@code CRASHED} if it runs (its body is interrupted),
     * else {@code CANCELLED} as {@link #cancel(String)} does.
     *
     * @param reason why, such as {@code The process received SIGTERM}
     */
    void abort(String reason) {
        stop(reason, true);
    }

    private boolean stop(String reason, boolean crashIfRunning) {
        StateType was = type();
        if (was.isFinal()) {
            return false;
        }
        State<T> state;
        if (was == StateType.RUNNING && crashIfRunning) {
            state = State.crashed(
                    "Task run crashed: " + Character.toLowerCase(reason.charAt(0)) + reason.substring(1)
                            + "; the run was interrupted while it ran",
                    null);
        } else {
            state = State.cancelled(
                    switch (was) {
                        case RUNNING -> reason + "; the run was interrupted while it ran";
                        case AWAITING_RETRY -> reason + " while it awaited a retry";
                        default -> reason + " before it started";
                    });
        }
        if (!settle(state.forRun(label()))) {
            return false;
        }
        interruptBody();
        if (was == StateType.RUNNING || (was == StateType.PENDING && (int) UNRESOLVED.getVolatile(this) == 0)) {
            tellRunner(state.message());
        }
        RunTries t = terms.tries;
        if (t != null) {
            t.cancelAll();
        }
        propagate(this);
        return true;
    }

    @Override
    public boolean offerToWaiter(Runnable here) {
        aside().offered = here;
        return Context.taskRun() == null;
    }

    /**
     * A run that its runner offered to its waiter runs here, where the waiter waits without a deadline (a
     * run can take longer than a deadline) and outside a task run of its own (whose thread is its runner's).
     */
    @Override
    protected void beforeWait(boolean timed) {
        Aside a = aside;
        Runnable here = a == null ? null : a.offered;
        if (here != null && !timed && Context.taskRun() == null) {
            a.offered = null;
            here.run();
        }
    }

    @Override
    public void crash(Throwable cause) {
        String why =
                cause instanceof InsufficientResourcesException || cause instanceof CallEnvelope.UnserializableException
                        ? cause.getMessage() // says all there is to say
                        : "the task runner could not run it: " + cause;
        finish(State.<T>crashed("Task run crashed: " + why, cause).forRun(label()));
    }

    @SuppressWarnings("unchecked")
    private T value(Object value) {
        return (T) value;
    }

    private State<T> thrown(Throwable t) {
        if (isCrash(t)) {
            String why = t instanceof WorkerFailedException ? t.getMessage() : t.toString(); // says all there is
            return State.<T>crashed("Task run crashed: " + why, t).forRun(label());
        }
        return State.<T>failed("Task run encountered an exception: " + t, t).forRun(label());
    }

    /**
     * Errors of the JVM itself, not of the task's logic (out of memory or stack, broken class linkage), and
     * of what runs the call (a {@link WorkerFailedException}).
     */
    static boolean isCrash(Throwable t) {
        return t instanceof VirtualMachineError || t instanceof LinkageError || t instanceof WorkerFailedException;
    }

    // ---- state ------------------------------------------------------------------------------------

    @Override
    protected State<T> liveState(StateType type) {
        return switch (type) {
            case RUNNING -> terms.tries != null && terms.tries.counted() > 1 ? RunMessages.retrying() : State.of(type);
            case PENDING -> RunMessages.pending((int) UNRESOLVED.getVolatile(this), flow.runnerName(), terms.resources);
            case QUEUED ->
                terms.slots != null && terms.slots.waitingOn() != null
                        ? RunMessages.queued(terms.slots.waitingOn(), terms.slots.waitingLimit())
                        : State.of(type);
            case AWAITING_RETRY -> terms.tries != null ? RunMessages.awaitingRetry(terms.tries) : State.of(type);
            default -> State.of(type);
        };
    }

    /**
     * {@inheritDoc} A run that completed with a value is told a stand-in for its final state with the same
     * type, name and message (and no value), enough for its events and its history; the state itself, with
     * the value, is made here only if a sink wants it.
     */
    @Override
    protected void transitioned(StateType to, State<T> finalState) {
        if (finalState != null) {
            FlightEvents.taskEnded(this, finalState);
            if (History.on()) {
                History.taskEnded(this, finalState);
            }
        } else if (to == StateType.RUNNING) {
            FlightEvents.taskRunning(this);
        }
        Recorder recorder = flow.recorder();
        if (finalState == null && (to == StateType.QUEUED || to == StateType.AWAITING_RETRY)) {
            // These states are logged with their message, which is only built if someone will read it.
            if (recorder.wanted(Event.Kind.TASK_STATE, to == StateType.QUEUED ? QUEUED_PROBE : RETRY_PROBE)) {
                recorder.record(Event.Kind.TASK_STATE, this, liveState(to));
            }
            return;
        }
        if (finalState == null) {
            recorder.record(Event.Kind.TASK_STATE, this, to);
        } else if (recorder.wanted(Event.Kind.TASK_STATE, finalState)) {
            recorder.record(Event.Kind.TASK_STATE, this, finalState());
        }
    }

    @Override
    protected void moved(StateType from, StateType to) {
        Counters.RunnerCounts counts = flow.counts;
        if (counts != null) {
            counts.moved(from, to);
        }
    }

    @Override
    protected void beforeFinal(State<T> finalState) {
        RunSlots s = terms.slots;
        if (s != null) {
            s.releaseAtEnd(); // whoever sees the run final finds its slots free
        }
    }

    @Override
    protected void afterFinal() {
        RunSlots s = terms.slots;
        if (s != null) {
            s.ended();
        }
        RunTries t = terms.tries;
        if (t != null) {
            Thread inPlace = t.inPlaceThread;
            if (inPlace != null) {
                LockSupport.unpark(inPlace);
            }
        }
        flow.runFinished(this);
    }
}
