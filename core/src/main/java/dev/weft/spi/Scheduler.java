package dev.weft.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * The engine's clock and timer: when a retry is due, when a timeout strikes. The default, {@link
 * #system()}, is the wall clock and one daemon thread; tests give a flow one of their own ({@code
 * Flow.withScheduler}) to control time.
 */
public interface Scheduler {

    /**
     * Returns the current time.
     *
     * @return now
     */
    Instant now();

    /**
     * Runs {@code action} once, after {@code delay}, on a thread of the scheduler's. The action must be
     * short: it hands work on, it does not do it.
     *
     * @param action what to run
     * @param delay how long from now; zero or less runs it as soon as possible
     * @return a handle that cancels the action if it has not run yet
     */
    Cancellable schedule(Runnable action, Duration delay);

    /** A scheduled action that can still be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Calls the action off if it has not started; does nothing otherwise. */
        void cancel();
    }

    /**
     * Returns the wall clock and a shared daemon timer thread.
     *
     * @return the system scheduler
     */
    static Scheduler system() {
        return SystemScheduler.INSTANCE;
    }
}
