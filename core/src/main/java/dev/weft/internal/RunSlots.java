package dev.weft.internal;

import dev.weft.ConcurrencyDeadlockException;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.runner.Park;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * The slots a task run with tags takes before it runs: one on every limited tag, all or nothing, handed out
 * by the {@link Limiter}, which sees the run only through {@link SlotClaim}. The run is QUEUED while a tag is
 * full, gives its slots back between tries and whenever it ends, and never holds slots once seen final.
 */
final class RunSlots implements SlotClaim {
    private static final VarHandle STATE;

    // Whether the run holds slots on its tags: none yet, held, given back.
    private static final int NONE = 0;
    private static final int HELD = 1;
    private static final int GIVEN_BACK = 2;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(RunSlots.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TaskRun<?> run;
    private final String[] tags;
    private volatile Limiter limiter;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    private volatile int waitingLimit;
    private volatile Thread inPlaceWaiter;
    private volatile boolean admitted;

    /** Whether the store keeps the run waiting on a tag, so that its wait must be ended. */
    private volatile boolean waitsInStore;

    /** When the run last became QUEUED, for the line that says it got its slots; 0 when it is not. */
    private volatile long queuedSince;

    /** Whether a thread is asking the store for the run's slots now; guarded by the limiter's lock. */
    private boolean attempting;

    /** The tag whose queue the run sits in; written under the limiter's lock, read by its state. */
    private volatile String queuedOn;

    /**
     * Makes the slots part of a run.
     *
     * @param run the run
     * @param tags its tags, without repeats
     */
    RunSlots(TaskRun<?> run, String[] tags) {
        this.run = run;
        this.tags = tags;
    }

    // ---- what the run asks ------------------------------------------------------------------------

    /** Asks for the slots; the run goes to its runner once it holds them. */
    void ask() {
        SharedLimiter.admit(this);
    }

    /** For a call in place: takes the slots on the calling thread, waiting there while queued. */
    boolean awaitInPlace() {
        admitted = false;
        inPlaceWaiter = Thread.currentThread();
        run.ready();
        Park.uninterruptibly(() -> admitted || run.isDone(), run);
        return admitted && !run.isDone();
    }

    /** Gives the slots back between tries, then runs {@code next}; false if it held none. */
    boolean releaseBetweenTries(Runnable next) {
        if (!STATE.compareAndSet(this, HELD, NONE)) {
            return false;
        }
        limiter.releaseBetweenTries(this, next);
        return true;
    }

    /** The run is ending: whoever sees it final finds its slots free. */
    void releaseAtEnd() {
        if (STATE.compareAndSet(this, HELD, GIVEN_BACK)) {
            limiter.releaseNow(this);
        }
    }

    /** The run has ended: it is no longer asked for, and a thread waiting in place wakes. */
    void ended() {
        Limiter l = limiter;
        if (l != null) {
            l.forget(this);
        }
        Thread waiter = inPlaceWaiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** Returns the tag the run waits on, or null. */
    String waitingOn() {
        return queuedOn;
    }

    /** Returns the limit of the tag it waits on. */
    int waitingLimit() {
        return waitingLimit;
    }

    // ---- what the limiter sees --------------------------------------------------------------------

    @Override
    public UUID id() {
        return run.id();
    }

    @Override
    public String name() {
        return run.name();
    }

    @Override
    public String label() {
        return run.label();
    }

    @Override
    public List<String> tags() {
        return Arrays.asList(tags);
    }

    @Override
    public boolean isDone() {
        return run.isDone();
    }

    @Override
    public void limitedBy(Limiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public boolean startAttempt() {
        if (attempting) {
            return false;
        }
        attempting = true;
        return true;
    }

    @Override
    public void endAttempt() {
        attempting = false;
    }

    @Override
    public void admitted(boolean holding) {
        if (holding) {
            STATE.compareAndSet(this, NONE, HELD);
            if (run.isDone()) { // ended while the store granted them: they go back now
                releaseAtEnd();
                return;
            }
        }
        if (run.isDone()) {
            return;
        }
        long since = queuedSince;
        if (since != 0) {
            queuedSince = 0;
            run.flow.recorder().record(Event.Kind.TASK_SLOTS, run, Duration.ofNanos(System.nanoTime() - since));
        }
        admitted = true;
        Thread waiter = inPlaceWaiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        } else {
            run.flow.dispatch(run);
        }
    }

    @Override
    public void waitsInStore() {
        waitsInStore = true;
    }

    @Override
    public boolean stopWaitingInStore() {
        if (!waitsInStore) {
            return false;
        }
        waitsInStore = false;
        return true;
    }

    @Override
    public void queued(String tag, int limit) {
        waitingLimit = limit;
        long since = System.nanoTime();
        if (run.queue()) {
            queuedSince = since;
        }
    }

    @Override
    public String queuedOn() {
        return queuedOn;
    }

    @Override
    public void queuedOn(String tag) {
        queuedOn = tag;
    }

    @Override
    public void aborted(String tag) {
        String message = "Aborted: the concurrency limit on tag '" + tag + "' is 0, so " + run.lowerLabel()
                + " can never run; raise the limit or delete it to run the tag's tasks";
        run.end(State.of(StateType.CANCELLED, "Aborted", message, null, null));
    }

    @Override
    public void deadlocked(String message) {
        run.end(State.failed(message, new ConcurrencyDeadlockException(message)));
    }

    @Override
    public void slotsUnavailable(RuntimeException e) {
        run.end(State.crashed(
                "Task run crashed: it could not take slots on its tags " + tags() + ": " + e.getMessage(), e));
    }

    @Override
    public boolean nested() {
        return run.caller() != null;
    }

    @Override
    public boolean isCalledBy(SlotClaim holder) {
        return run.isCalledBy(((RunSlots) holder).run);
    }

    @Override
    public String waitedOnBy(SlotClaim holder) {
        return run.waitedOnBy(((RunSlots) holder).run);
    }
}
