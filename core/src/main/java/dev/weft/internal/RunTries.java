package dev.weft.internal;

import dev.weft.Retries;
import dev.weft.spi.Scheduler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * What a task run with retries, a timeout or an asynchronous body keeps across its tries. Runs without
 * them carry none.
 *
 * <p>Each try ends once: its end is claimed by CAS on {@code ended} ({@link #claimEnd}), by the body
 * returning, by the timeout, or by the loss of its worker, and the claimer decides what follows: the final
 * state, {@code AWAITING_RETRY} with a delay, or back to waiting. The retry is scheduled only once both the
 * decision is made and the body has returned (two parties on {@code gate}, {@link #arrive}), so that a try
 * whose body ignores its interrupt never runs beside the next one, and the runner has its thread and
 * resources back first.
 */
final class RunTries {
    private static final VarHandle ENDED;
    private static final VarHandle GATE;
    private static final VarHandle PHASE;

    // Handshake between run() returning and an asynchronous body's stage completing.
    private static final int IN_RUN = 0;
    private static final int RETURNED = 1;
    private static final int ENDED_IN_RUN = 2;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENDED = lookup.findVarHandle(RunTries.class, "ended", int.class);
            GATE = lookup.findVarHandle(RunTries.class, "gate", int.class);
            PHASE = lookup.findVarHandle(RunTries.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Retries retries;
    final Duration timeout;

    /** The number of the current try, lost ones included. */
    volatile int current;

    /** Tries that were lost with their worker: they are not counted against the retries. */
    volatile int lostTries;

    @SuppressWarnings("unused") // accessed through ENDED
    private volatile int ended;

    @SuppressWarnings("unused") // accessed through GATE
    private volatile int gate;

    @SuppressWarnings("unused") // accessed through PHASE
    private volatile int phase;

    volatile Duration retryDelay;
    volatile Instant nextTry;
    volatile Throwable lastFailure;
    volatile Scheduler.Cancellable timer;
    volatile Scheduler.Cancellable retryTimer;
    volatile CompletionStage<?> stage;
    volatile Thread inPlaceThread;
    volatile boolean retryDue;
    volatile Instant deadline;
    Runnable whenFinal;

    /** The run's arguments once resolved, as the run holds them (see {@link TaskSpec#single()}). */
    Object input;

    /** Whether {@link #input} was resolved: every try takes the same arguments. */
    boolean resolved;

    RunTries(Retries retries, Duration timeout) {
        this.retries = retries;
        this.timeout = timeout;
    }

    /** Returns the number of the current try as the retry policy counts them, lost ones left out. */
    int counted() {
        return counted(current);
    }

    /** Returns the number of try {@code tryNo} as the retry policy counts them, lost ones left out. */
    int counted(int tryNo) {
        return tryNo - lostTries;
    }

    /** Claims the end of try {@code tryNo}; false if its end was claimed already. */
    boolean claimEnd(int tryNo) {
        return ENDED.compareAndSet(this, tryNo - 1, tryNo);
    }

    /** Returns whether the end of try {@code tryNo} has been claimed. */
    boolean isEnded(int tryNo) {
        return (int) ENDED.getVolatile(this) >= tryNo;
    }

    /** A new try begins: no party has arrived yet. */
    void resetGate() {
        GATE.setVolatile(this, 0);
    }

    /** One of the two parties of a try is done; returns true for the second. */
    boolean arrive() {
        return (int) GATE.getAndAdd(this, 1) == 1;
    }

    /** Returns whether the policy retries after {@code error}; a condition that throws decides nothing. */
    boolean accepts(Throwable error) {
        try {
            return retries.accepts(error);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Cancels the current try's timeout. */
    void cancelTimeout() {
        Scheduler.Cancellable t = timer;
        if (t != null) {
            t.cancel();
        }
    }

    /** The run ended: its retry, its timeout and its stage are cancelled. */
    void cancelAll() {
        Scheduler.Cancellable retry = retryTimer;
        if (retry != null) {
            retry.cancel();
        }
        cancelTimeout();
        CompletionStage<?> s = stage;
        if (s != null) {
            s.toCompletableFuture().cancel(true);
        }
    }

    /** A try's body begins: its asynchronous stage, if it has one, may end before or after {@code run()} returns. */
    void enterRun() {
        PHASE.setVolatile(this, IN_RUN);
    }

    /** {@code run()} returns with the body's stage pending; false if the stage ended first. */
    boolean returnFromRun() {
        return PHASE.compareAndSet(this, IN_RUN, RETURNED);
    }

    /** The body's stage ends before {@code run()} has returned; false if it had returned. */
    boolean endInRun() {
        return PHASE.compareAndSet(this, IN_RUN, ENDED_IN_RUN);
    }
}
