package dev.weft.contract;

import dev.weft.spi.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A scheduler whose time moves only when a test says so: it records every delay asked of it, and runs an
 * action only when the test advances the clock past its due time.
 */
public final class ManualScheduler implements Scheduler {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final List<Entry> pending = new ArrayList<>();
    private final List<Duration> asked = new ArrayList<>();
    private long sequence;

    private record Entry(Instant due, long order, Runnable action) {}

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Runnable action, Duration delay) {
        Entry entry = new Entry(now.plus(delay), sequence++, action);
        pending.add(entry);
        asked.add(delay);
        notifyAll();
        return () -> {
            synchronized (this) {
                pending.remove(entry);
            }
        };
    }

    /** Returns every delay asked for so far, in order. */
    public synchronized List<Duration> delays() {
        return List.copyOf(asked);
    }

    /** Returns how many actions wait for their time. */
    public synchronized int pending() {
        return pending.size();
    }

    /**
     * Waits until at least {@code count} actions wait for their time.
     *
     * @param count how many
     * @param timeout how long to wait, in real time
     * @throws InterruptedException if interrupted
     */
    public synchronized void awaitPending(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(
                        "Timed out waiting for " + count + " scheduled actions; " + pending.size() + " are pending");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * Moves the clock forward and runs, in due order and on the calling thread, every action that falls
     * due.
     *
     * @param by how far
     */
    public void advance(Duration by) {
        Instant until;
        synchronized (this) {
            until = now.plus(by);
        }
        for (; ; ) {
            Entry next;
            synchronized (this) {
                next = pending.stream()
                        .filter(e -> !e.due().isAfter(until))
                        .min(Comparator.comparing(Entry::due).thenComparingLong(Entry::order))
                        .orElse(null);
                if (next == null) {
                    now = until;
                    return;
                }
                pending.remove(next);
                if (next.due().isAfter(now)) {
                    now = next.due();
                }
            }
            next.action().run();
        }
    }
}
