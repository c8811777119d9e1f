package dev.weft.internal;

import dev.weft.State;
import dev.weft.StateType;
import dev.weft.TaskRunner;
import dev.weft.runner.Park;
import dev.weft.runner.WaitHelper;
import dev.weft.spi.Scheduler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One run of a flow: its name, its runner, and what it needs to compute its final state. It keeps
 * counts, not runs, so that a flow of a million task runs holds no more than the futures its caller
 * keeps.
 *
 * <p>Runs are counted in as they are made, on a counter of their own ({@link PaddedCounter}), and out as
 * they end, on striped counters ({@link LongAdder}) by how they ended, so that the threads that submit
 * runs and those that end them never write the same word, nor one line.
 * The flow run's runs are over once its body has returned and the two counts agree; then it closes and
 * accepts nothing more. Since a run is counted in before it can end, and a count is read while it may
 * still grow, reading the ended count first and the made count second and finding them equal means that,
 * at the moment between the two reads, every run made had ended. A run made as the flow run closes either
 * sees it closed (and is counted out at once, refused) or is seen by the closing thread, which then waits
 * for it too.
 */
public final class FlowRun {
    private static final VarHandle FIRST_FAILURE;
    private static final VarHandle CANCELLED_BY;
    private static final VarHandle BODY;
    private static final VarHandle HISTORY_ID;
    private static final VarHandle STRAY_BODIES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FIRST_FAILURE = lookup.findVarHandle(FlowRun.class, "firstFailure", State.class);
            CANCELLED_BY = lookup.findVarHandle(FlowRun.class, "cancelledBy", String.class);
            BODY = lookup.findVarHandle(FlowRun.class, "body", Object.class);
            HISTORY_ID = lookup.findVarHandle(FlowRun.class, "historyId", String.class);
            STRAY_BODIES = lookup.findVarHandle(FlowRun.class, "strayBodies", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String flowName;
    private final String name;
    private final FlowRun parent;
    private final TaskRun<?> caller;
    private final Recorder recorder;
    private final Scheduler scheduler;
    private final LiveRuns live = new LiveRuns();

    /** The task and subflow runs that the body's thread made while the body ran: it alone adds to them. */
    private final LiveRuns bodyLive = new LiveRuns();

    /**
     * The thread running the body, from its start until it returns, and only for that thread to read: the
     * runs it makes are counted and tracked without an atomic add, as no other thread makes runs there
     * ({@link #bodyMade}, {@link #bodyLive}). Another thread reads null, or a thread that is not itself.
     */
    private Thread bodyThread;

    /**
     * Runs made by {@link #bodyThread} while the body ran; written by that thread alone, before it sets
     * {@link #bodyDone}, and read by others only after they read that set; on a cache line of its own, as
     * {@link #made} is.
     */
    private final PaddedCounter bodyMade = new PaddedCounter();

    private volatile boolean timedOut;
    private volatile Duration timeout;
    private volatile int liveSlot = -1;

    /** Why the run was cancelled (a cancel or its timeout), or null. */
    private volatile String cancelledBy;

    /** Why the process stopped the run (a signal, the JVM's shutdown), or null. */
    private volatile String abortedBy;

    /**
     * The run's place in the state machine: PENDING, RUNNING once its body begins, and its final state once
     * its end is recorded, by its own thread or by the process stopping without it.
     */
    private final FlowState state = new FlowState(this);

    /** The body's thread while the body runs ({@link BodyThread}). */
    @SuppressWarnings("unused") // accessed through BODY
    private volatile Object body;

    /** Bodies of runs cancelled while they ran that have not returned yet. */
    @SuppressWarnings("unused") // accessed through STRAY_BODIES
    private volatile int strayBodies;

    private final ConcurrentHashMap<String, AtomicInteger> callIndex = new ConcurrentHashMap<>();
    private volatile TaskRunner runner;

    /** Where its task runs are counted for {@code weft stat}, by its runner's name; null without counters. */
    Counters.RunnerCounts counts;

    /** Whether the runner gets a fresh hand-over per placement; written before {@link #runner}, read after. */
    private boolean handOvers;

    private volatile Thread waiter;

    /**
     * Runs made in this flow run (task runs and subflow runs), written only by the threads that make runs,
     * on a cache line of its own.
     */
    private final PaddedCounter made = new PaddedCounter();

    /** Runs refused because the flow run had closed: counted out as soon as they were counted in. */
    private final LongAdder refused = new LongAdder();

    /** Whether the body has returned. */
    private volatile boolean bodyDone;

    /** Whether the body has returned and every run has ended: the flow run accepts nothing more. */
    private volatile boolean closed;

    /** How the runs ended, for the final state; together with {@link #refused}, the runs counted out. */
    private final LongAdder completed = new LongAdder();

    private final LongAdder failed = new LongAdder();
    private final LongAdder crashed = new LongAdder();
    private final LongAdder cancelled = new LongAdder();

    private volatile State<?> firstFailure;

    @SuppressWarnings("unused") // accessed through HISTORY_ID
    private volatile String historyId;

    FlowRun(String flowName, String name, FlowRun parent, TaskRun<?> caller, Recorder recorder) {
        this(flowName, name, parent, caller, recorder, null);
    }

    FlowRun(String flowName, String name, FlowRun parent, TaskRun<?> caller, Recorder recorder, Scheduler scheduler) {
        this.flowName = flowName;
        this.name = name;
        this.parent = parent;
        this.caller = caller;
        this.recorder = recorder;
        this.scheduler = scheduler != null ? scheduler : parent != null ? parent.scheduler() : Scheduler.system();
    }

    /** Returns the run's id in the run history, made on first use: a random UUID. */
    String historyId() {
        String id = historyId;
        if (id == null) {
            String made = java.util.UUID.randomUUID().toString();
            id = (String) HISTORY_ID.compareAndExchange(this, null, made);
            if (id == null) {
                id = made;
            }
        }
        return id;
    }

    /** Returns the clock and timer of this run's retries and timeouts. */
    Scheduler scheduler() {
        return scheduler;
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

    /** Returns the flow run this one is a subflow of, or null. */
    FlowRun parentRun() {
        return parent;
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
        this.handOvers = started.spec().tracksHandovers();
        Counters c = Counters.get();
        this.counts = c == null ? null : c.runner(started.name());
        this.runner = started;
    }

    /** Returns the flow run's task runner, once started; else null. */
    TaskRunner runner() {
        return runner;
    }

    int nextIndex(String taskKey) {
        return callIndex.computeIfAbsent(taskKey, k -> new AtomicInteger()).getAndIncrement();
    }

    /**
     * Counts a new run; refuses once the flow run has ended.
     *
     * @return whether the calling thread is the body's while the body runs: then it is the one thread that
     *     counts there ({@link #bodyMade}), and tracks the run with {@link #track(Object, boolean)}
     */
    boolean runStarted() {
        boolean body = bodyThread == Thread.currentThread();
        if (body) {
            // read by others only after bodyDone, which this thread sets after its last run
            bodyMade.getAndIncrementByOwner();
        } else {
            // `closed` is read after it: the closing thread sees this count, or this one sees it closed
            made.getAndIncrement();
        }
        if (closed) {
            refused.increment();
            throw new IllegalStateException(label() + " of flow '" + flowName
                    + "' has finished and accepts no more runs; submit tasks while the flow runs,"
                    + " from its body or from its tasks");
        }
        return body;
    }

    /** Tracks a new run, so that a cancel reaches it; returns its slot, for {@link #untrack}. */
    int track(Object run) {
        return track(run, bodyThread == Thread.currentThread());
    }

    /**
     * Tracks a new run, so that a cancel reaches it; returns its slot, for {@link #untrack}.
     *
     * @param body whether the calling thread is the body's while the body runs (see {@link #runStarted})
     */
    int track(Object run, boolean body) {
        if (!body) {
            return live.add(run); // its atomic add comes before the caller reads whether the run was cancelled
        }
        int slot = bodyLive.addFromOwner(run);
        VarHandle.fullFence(); // then the caller reads `cancelledBy`: a cancel finds this run, or this thread sees it
        return -2 - slot;
    }

    /** Stops tracking a run, by the slot {@link #track} gave it. */
    void untrack(int slot) {
        if (slot >= 0) {
            live.remove(slot);
        } else if (slot != -1) {
            bodyLive.remove(-2 - slot);
        }
    }

    /** Counts a task run's final state and stops tracking it. */
    void runFinished(TaskRun<?> run) {
        untrack(run.liveSlot);
        StateType type = run.type();
        ended(type, type == StateType.COMPLETED ? null : run.finalState()); // a completed run's state is not made
    }

    /** Counts a run's final state. Called once per run, after its waiters were told. */
    void runFinished(State<?> state) {
        ended(state.type(), state);
    }

    /** Counts a run's final state, of that type; {@code state} may be null for a completed one. */
    private void ended(StateType type, State<?> state) {
        switch (type) {
            case COMPLETED -> completed.increment();
            case CANCELLED -> cancelled.increment();
            case CRASHED -> {
                crashed.increment();
                FIRST_FAILURE.compareAndSet(this, null, state);
            }
            default -> {
                failed.increment();
                FIRST_FAILURE.compareAndSet(this, null, state);
            }
        }
        VarHandle.fullFence(); // then `waiter` is read: the waiter sees this count, or this thread sees the waiter
        Thread w = waiter;
        if (w != null && runsOver()) {
            LockSupport.unpark(w);
        }
    }

    /** The body has returned. */
    void bodyFinished() {
        bodyThread = null; // a run of this one that this thread runs while it waits may make runs: counted atomically
        bodyDone = true;
    }

    /** Whether the body has returned and every run made has ended (see the class notes). */
    private boolean runsOver() {
        if (!bodyDone) {
            return false;
        }
        long out = completed.sum() + failed.sum() + crashed.sum() + cancelled.sum() + refused.sum();
        return out == made.get() + bodyMade.get();
    }

    // ---- cancelling ---------------------------------------------------------------------------------

    /** Returns why the run was cancelled, or null while it was not. */
    String cancelledBy() {
        return cancelledBy;
    }

    /**
     * Cancels the run: every task run and subflow run it submitted that is not final is cancelled (those
     * waiting never start; running ones are interrupted), and the body is interrupted. Runs submitted from
     * now on are cancelled at once.
     *
     * @param reason why, for the states' messages
     * @return whether this call cancelled it (false if it had been cancelled or had ended)
     */
    boolean cancel(String reason) {
        if (closed || !CANCELLED_BY.compareAndSet(this, null, reason)) {
            return false;
        }
        // Runs first: a run whose body runs on the flow's own thread ends CANCELLED, not failed by the
        // interrupt meant for the flow's body.
        stopRuns(reason, false);
        interruptBody();
        return true;
    }

    /**
     * The process is stopping: every run of this one that is not final ends at once, running ones {@code
     * CRASHED} (their bodies are interrupted), waiting ones {@code CANCELLED}, in every subflow run; the body
     * is interrupted, and the run itself will end {@code CRASHED}, saying why.
     *
     * @param reason why, such as {@code The process received SIGTERM}
     */
    void abort(String reason) {
        if (closed) {
            return;
        }
        abortedBy = reason;
        CANCELLED_BY.compareAndSet(this, null, reason); // runs submitted from now on never start
        stopRuns(reason, true);
        interruptBody();
    }

    /**
     * Ends every run of this one that is not final: the waiting ones first, so that a slot a running one
     * gives back as it ends is not handed to a run that is about to be stopped too.
     */
    private void stopRuns(String reason, boolean abort) {
        for (int pass = 0; pass < 2; pass++) {
            boolean waiting = pass == 0;
            Consumer<Object> stop = run -> {
                if (run instanceof TaskRun<?> task) {
                    if ((task.type() != StateType.RUNNING) == waiting) {
                        if (abort) {
                            task.abort(reason);
                        } else {
                            task.cancel(reason);
                        }
                    }
                } else if (run instanceof FlowRun subflow && !waiting) {
                    if (abort) {
                        subflow.abort(reason);
                    } else {
                        subflow.cancel(reason);
                    }
                }
            };
            live.forEach(stop);
            bodyLive.forEach(stop);
        }
    }

    /**
     * Ends the run and records its end, once: its own thread does when the run ends, or the process
     * stopping without it. Whoever then sees the run ended finds the end's event recorded.
     *
     * @return whether this call ended it
     */
    boolean claimEnd(State<?> finalState) {
        return state.end(finalState);
    }

    /**
     * Waits until the run's end is recorded, or the deadline passes.
     *
     * @param deadline a {@link System#nanoTime()} deadline
     * @return whether it has ended
     */
    boolean awaitEnd(long deadline) {
        long left = deadline - System.nanoTime();
        return left > 0 ? state.await(Duration.ofNanos(left)).isPresent() : state.isDone();
    }

    /** The flow's time limit struck: the run fails and cancels what it submitted. */
    void timeOut(Duration limit) {
        timeout = limit;
        timedOut = true;
        if (!cancel("The flow run timed out after " + RunMessages.describe(limit))) {
            timedOut = false;
        }
    }

    /** Publishes the body's thread, for {@link #cancel} to interrupt. */
    void enterBody() {
        bodyThread = Thread.currentThread();
        state.begin();
        BodyThread.enter(BODY, this);
    }

    /** The body returned; waits out an interrupter at work and clears the interrupt it left. */
    void leaveBody() {
        BodyThread.leave(BODY, this);
    }

    private void interruptBody() {
        BodyThread.interrupt(BODY, this, () -> {});
    }

    /** A task run's body was interrupted by a cancel or a timeout while it ran. */
    void bodyInterrupted() {
        STRAY_BODIES.getAndAdd(this, 1);
    }

    /** A body interrupted by {@link #bodyInterrupted()} has returned. */
    void bodyLeftAfterInterrupt() {
        if ((int) STRAY_BODIES.getAndAdd(this, -1) == 1) {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /**
     * Gives the bodies of runs cancelled while they ran a grace period to return, so that the final state
     * can say whether some ignored their interrupt.
     */
    void awaitStrayBodies(Duration grace) {
        Park.uninterruptibly(() -> strayBodies <= 0, true, System.nanoTime() + grace.toNanos(), this);
    }

    /**
     * Tracks this run where a stop reaches it: a subflow run in its parent, so that cancelling the parent
     * cancels it; a flow run in the process, so that a signal ends it properly.
     */
    void trackInParent() {
        if (parent == null) {
            liveSlot = ProcessStop.track(this);
        } else {
            liveSlot = parent.track(this);
            if (parent.abortedBy != null) {
                abort(parent.abortedBy);
            } else if (parent.cancelledBy != null) {
                cancel(parent.cancelledBy);
            }
        }
    }

    /** Stops tracking this run: it has ended. */
    void untrackInParent() {
        if (parent == null && liveSlot >= 0) {
            ProcessStop.untrack(liveSlot);
        } else if (parent != null) {
            parent.untrack(liveSlot);
        }
    }

    /** Hands a ready run to the runner; a runner that refuses it crashes the run. */
    void dispatch(TaskRun<?> run) {
        try {
            TaskRunner r = runner;
            r.submit(handOvers ? run.handOver() : run);
        } catch (RuntimeException | Error e) {
            run.crash(e);
        }
    }

    /** Waits until the body has returned and every run has ended. */
    void awaitRuns() {
        waiter = Thread.currentThread(); // then the counts are read
        WaitHelper helper = WaitHelper.current();
        do {
            if (!runsOver()) {
                if (helper != null) {
                    WaitHelper.beforeWaiting();
                    helper.helpUntil(this::runsOver, false, 0L);
                } else {
                    Park.uninterruptibly(this::runsOver, this);
                }
            }
            closed = true; // then the counts are read again: a run made meanwhile is waited for too
        } while (!runsOver());
    }

    /**
     * Computes the final state once every run has ended, as Prefect does: a body that threw fails the run; a
     * body that returned a final {@code State} gives it (a live one, taken while its run ran, is a value like
     * any other); one that returned futures (alone or inside a collection,
     * map, array or record) is decided by their states; one that returned another value completes; and with
     * nothing returned every run counts. Where runs count, one that was cancelled makes the run {@code
     * CANCELLED}, before a failure does.
     */
    <R> State<R> finalState(R value, Throwable bodyError) {
        int completed = this.completed.intValue();
        int failed = this.failed.intValue();
        int crashed = this.crashed.intValue();
        int cancelled = this.cancelled.intValue();
        int total = completed + failed + crashed + cancelled;
        int stray = strayBodies;
        String strays = stray == 0
                ? ""
                : " " + stray + " cancelled run" + (stray == 1 ? "" : "s")
                        + " ignored the interrupt and may still be running.";
        String cancelReason = cancelledBy;
        String aborted = abortedBy;
        State<R> state;
        if (aborted != null) {
            state = State.crashed(
                    "Flow run crashed: " + lowerFirst(aborted) + "; " + tally(total) + "." + strays, null);
        } else if (cancelReason != null && timedOut) {
            String limit = RunMessages.seconds(timeout);
            state = State.of(
                    StateType.FAILED,
                    "TimedOut",
                    "Flow run exceeded timeout of " + limit + "; " + cancelled + "/" + total + " states cancelled."
                            + strays,
                    null,
                    new TimeoutException(label() + " exceeded timeout of " + limit));
        } else if (cancelReason != null) {
            state = State.cancelled(cancelReason + "; " + cancelled + "/" + total + " states cancelled." + strays);
        } else if (bodyError != null) {
            String message = "Flow run encountered an exception: " + bodyError;
            state = TaskRun.isCrash(bodyError) ? State.crashed(message, bodyError) : State.failed(message, bodyError);
        } else if (value instanceof State<?> returned && returned.isFinal()) {
            state = State.of(returned.type(), returned.name(), returned.message(), value, returned.exception());
        } else {
            Node<?>[] returned = value == null ? Inputs.NONE : Inputs.collect(new Object[] {value}, Inputs.NONE);
            if (returned.length > 0) {
                state = ofReturned(returned, value);
            } else if (value != null || completed == total) {
                state = State.of(
                        StateType.COMPLETED,
                        "Completed",
                        completed == total ? "All states completed." : null,
                        value,
                        null);
            } else {
                State<?> first = firstFailure;
                state = aggregate(total, failed + crashed, cancelled, first == null ? null : first.exception(), null);
            }
        }
        return state.forRun(label());
    }

    /** The state of a run whose body returned futures: theirs, taken together. */
    private static <R> State<R> ofReturned(Node<?>[] returned, R value) {
        int bad = 0;
        int cancelledOnes = 0;
        Throwable first = null;
        for (Node<?> node : returned) {
            State<?> s = node.await();
            if (s.isCancelled()) {
                cancelledOnes++;
            } else if (!s.isCompleted()) {
                bad++;
                first = first == null ? s.exception() : first;
            }
        }
        return aggregate(returned.length, bad, cancelledOnes, first, value);
    }

    /** Prefect's rule for many states: all completed, else any cancelled, else failed. */
    private static <R> State<R> aggregate(int total, int bad, int cancelledOnes, Throwable first, R value) {
        if (bad == 0 && cancelledOnes == 0) {
            return State.of(StateType.COMPLETED, "Completed", "All states completed.", value, null);
        }
        if (cancelledOnes > 0) {
            return State.cancelled(cancelledOnes + "/" + total + " states cancelled.");
        }
        return State.failed(bad + "/" + total + " states failed.", first);
    }

    /** Counts the runs by how they ended, for a run the process stopped: {@code 1/3 states crashed, ...}. */
    private String tally(int total) {
        StringBuilder b = new StringBuilder();
        int[] counts = {crashed.intValue(), cancelled.intValue(), failed.intValue(), completed.intValue()};
        String[] names = {"crashed", "cancelled", "failed", "completed"};
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                b.append(b.isEmpty() ? counts[i] + "/" + total + " states " : ", " + counts[i] + "/" + total + " ")
                        .append(names[i]);
            }
        }
        return b.isEmpty() ? "0/0 states" : b.toString();
    }

    private static String lowerFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
