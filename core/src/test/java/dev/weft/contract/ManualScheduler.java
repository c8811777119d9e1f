package dev.weft.contract;

import dev.weft.spi.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} whose clock stands still until a test moves it: give it to a flow with {@code
 * Flow.withScheduler}, and retry delays and timeouts strike only when the test calls {@link
 * #advance(Duration)}, on the test's thread. It remembers every delay it was asked for, in order, so a test
 * can wait for the engine to have asked ({@link #awaitAsked(int)}) and check what it asked.
 *
 * <p>Thread-safe: the engine schedules from its threads while the test advances from its own.
 */
public final class ManualScheduler implements Scheduler {
    /** Where the clock starts. */
    public static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

    /** How long {@link #awaitAsked} waits for the engine, in real time. */
    public static final int PATIENCE_SECONDS = 30;

    private record Action(Instant due, long order, Runnable action) {}

    private final PriorityQueue<Action> due =
            new PriorityQueue<>((a, b) -> a.due().equals(b.due())
                    ? Long.compare(a.order(), b.order())
                    : a.due().compareTo(b.due()));
    private final List<Duration> asked = new ArrayList<>();
    private Instant now = START;

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Runnable action, Duration delay) {
        Action a = new Action(now.plus(delay.isNegative() ? Duration.ZERO : delay), asked.size(), action);
        due.add(a);
        asked.add(delay);
        notifyAll();
        return () -> {
            synchronized (this) {
                due.remove(a);
            }
        };
    }

    /**
     * Returns every delay asked for so far, in the order asked, the called-off ones included.
     *
     * @return the delays
     */
    public synchronized List<Duration> asked() {
        return List.copyOf(asked);
    }

    /**
     * Returns how much time has passed on this clock since {@link #START}.
     *
     * @return the time advanced so far
     */
    public synchronized Duration elapsed() {
        return Duration.between(START, now);
    }

    /**
     * Waits until {@code count} actions in all have been asked for, at most {@value #PATIENCE_SECONDS}
     * seconds of real time.
     *
     * @param count how many, counting from the first
     * @throws InterruptedException if interrupted while waiting
     * @throws AssertionError if fewer were asked for in time
     */
    public synchronized void awaitAsked(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (asked.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(
                        "Waited for " + count + " scheduled actions; " + asked.size() + " were asked for: " + asked);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * Moves the clock forward by {@code by} and runs, on the calling thread and in the order they fall due,
     * the actions due by then, including those that they schedule within that time.
     *
     * @param by how far, zero or more
     */
    public void advance(Duration by) {
        Instant until;
        synchronized (this) {
            until = now.plus(by);
        }
        for (; ; ) {
            Action next;
            synchronized (this) {
                next = due.peek();
                if (next == null || next.due().isAfter(until)) {
                    now = until;
                    return;
                }
                due.poll();
                if (next.due().isAfter(now)) {
                    now = next.due();
                }
            }
            next.action().run(); // outside the lock: the action may schedule another
        }
    }
}
