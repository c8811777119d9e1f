package dev.weft.dashboard;

import dev.weft.spi.RunHistory;
import dev.weft.spi.SlotStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the pages read from: the run history and the slot store, each found through a supplier on every
 * read, so that a store opened late, or replaced, is seen. A read never takes the page down with it: it
 * runs on a thread of its own and is given up after {@link #READ_TIMEOUT}, and every failure, a store
 * that cannot be reached, a history that is off or a read that hangs, becomes an {@link Unavailable}
 * with a one-line message for the page. Reads that hang are not piled up: past {@link #MAX_STUCK_READS}
 * of them, reads fail at once until one comes back.
 *
 * <p>Thread-safe.
 */
final class Sources implements AutoCloseable {
    /** How long a read of the history or the slot store may take before the page is told it failed. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /** How many reads may hang at once before the next one fails without trying. */
    static final int MAX_STUCK_READS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Sources.class);
    private static final int MESSAGE_MAX_CHARS = 300;

    private final Supplier<RunHistory> history;
    private final Supplier<SlotStore> slots;
    private final ExecutorService readers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("weft-dashboard-read-", 0).factory());
    private final AtomicInteger stuck = new AtomicInteger();
    /** The last error logged, so that a store that stays broken is logged once, not on every read. */
    private volatile String lastError;

    Sources(Supplier<RunHistory> history, Supplier<SlotStore> slots) {
        this.history = Objects.requireNonNull(history, "history");
        this.slots = Objects.requireNonNull(slots, "slots");
    }

    /** A read failed; the message is one line, fit to show on the page as it is. */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads the run history.
     *
     * @throws Unavailable if there is none, it fails, or it does not answer in time
     */
    <T> T history(Function<RunHistory, T> read) {
        return read("The run history", () -> {
            RunHistory h = history.get();
            if (h == null) {
                throw new Unavailable("The run history is off (weft.history=off): no run is recorded");
            }
            return read.apply(h);
        });
    }

    /**
     * Reads the store of tag concurrency limits.
     *
     * @throws Unavailable if it fails, or does not answer in time
     */
    <T> T slots(Function<SlotStore, T> read) {
        return read("The store of concurrency limits", () -> read.apply(slots.get()));
    }

    /**
     * Describes the run history for the page, without reading it.
     *
     * @return its description, or why there is none
     */
    String describeHistory() {
        try {
            return history(RunHistory::describe);
        } catch (Unavailable e) {
            return e.getMessage();
        }
    }

    private <T> T read(String what, java.util.concurrent.Callable<T> read) {
        if (stuck.get() >= MAX_STUCK_READS) {
            throw failed(new Unavailable(what + " has not answered for more than " + READ_TIMEOUT.toSeconds()
                    + " s; the dashboard tries again shortly"));
        }
        AtomicBoolean givenUp = new AtomicBoolean();
        Future<T> answer;
        try {
            answer = readers.submit(() -> {
                try {
                    return read.call();
                } finally {
                    if (givenUp.get()) {
                        stuck.decrementAndGet();
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new Unavailable("The dashboard is closing");
        }
        try {
            T value = answer.get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            recovered();
            return value;
        } catch (TimeoutException e) {
            givenUp.set(true);
            stuck.incrementAndGet();
            answer.cancel(true);
            throw failed(new Unavailable(what + " did not answer within " + READ_TIMEOUT.toSeconds() + " s"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw failed(cause instanceof Unavailable u ? u : new Unavailable(oneLine(cause)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new Unavailable("The dashboard is closing");
        }
    }

    private Unavailable failed(Unavailable e) {
        if (!e.getMessage().equals(lastError)) {
            lastError = e.getMessage();
            LOG.warn("The Weft dashboard cannot read what it shows: {}", e.getMessage());
        }
        return e;
    }

    private void recovered() {
        if (lastError != null) {
            lastError = null;
            LOG.info("The Weft dashboard reads its stores again");
        }
    }

    /**
     * Returns the first line of an error's message, cut to a length a page shows in one line.
     *
     * @param e the error
     * @return the line
     */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        m = m.strip();
        int newline = m.indexOf('\n');
        if (newline >= 0) {
            m = m.substring(0, newline).strip();
        }
        return cut(m, MESSAGE_MAX_CHARS);
    }

    /**
     * Cuts a text to a length, marking the cut.
     *
     * @param s the text, or null
     * @param max the most characters
     * @return the text, or its first {@code max} characters and an ellipsis; null for null
     */
    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "…";
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
