package dev.weft.internal;

import dev.weft.Settings;
import dev.weft.spi.SlotStore;
import dev.weft.spi.StoreException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The process's {@link Limiter}, opened on first use: once per process, off the threads that submit runs,
 * and after a failure again only once a back-off has passed, so that a broken or unreachable store costs
 * one attempt and one line, not a stall and a stack trace per run. Until the next attempt is due, runs that
 * need slots end at once with the failure's one-line message.
 */
final class SharedLimiter {
    private static final Logger LOG = Logs.get("dev.weft.limits");
    private static final long RETRY_OPEN_MIN_MS = 1_000;
    private static final long RETRY_OPEN_MAX_MS = 30_000;
    private static final ReentrantLock LOCK = new ReentrantLock(); // not a monitor: virtual threads wait here
    // Opening may take seconds (a remote database); the runs that wait for it wait here, not on a caller.
    private static final ExecutorService OPENER = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("weft-store-open-", 0).factory());

    private static volatile Limiter current;
    private static Failure failure; // guarded by LOCK
    private static Function<Settings, SlotStore> opener = Limiter::open; // guarded by LOCK

    /** The last attempt to open the store failed: with what, and when the next may be made. */
    private record Failure(StoreException error, long retryAtNanos, long backoffMs) {}

    private SharedLimiter() {}

    /**
     * Hands a run that needs slots to the process's limiter, opening it first if need be, never on the
     * calling thread. A run whose store cannot be opened crashes with the store's one-line failure.
     */
    static void admit(SlotClaim run) {
        Limiter l = current;
        if (l != null) {
            l.admit(run);
            return;
        }
        OPENER.execute(() -> {
            Limiter opened;
            try {
                opened = get();
            } catch (StoreException e) {
                run.slotsUnavailable(e);
                return;
            }
            opened.admit(run);
        });
    }

    /**
     * Returns the process's limiter, opening its store if need be; may block while it opens.
     *
     * @throws StoreException if the store cannot be opened, or could not at the last attempt and the next
     *     is not due yet
     */
    static Limiter get() {
        Limiter l = current;
        if (l != null) {
            return l;
        }
        LOCK.lock();
        try {
            if (current != null) {
                return current;
            }
            Failure last = failure;
            if (last != null && System.nanoTime() - last.retryAtNanos < 0) {
                throw last.error;
            }
            try {
                Settings settings = Settings.load();
                Limiter opened = new Limiter(opener.apply(settings), settings);
                LOG.debug("Concurrency limits live in {}", opened.store().describe());
                failure = null;
                current = opened;
                return opened;
            } catch (StoreException | IllegalArgumentException e) {
                StoreException error = e instanceof StoreException s ? s : new StoreException(e.getMessage(), e);
                long backoff = last == null ? RETRY_OPEN_MIN_MS : Math.min(RETRY_OPEN_MAX_MS, last.backoffMs * 2);
                failure = new Failure(error, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff), backoff);
                LOG.error(
                        "{}; runs that need a concurrency slot crash until it opens (next attempt in {})",
                        error.getMessage(),
                        RunMessages.describe(Duration.ofMillis(backoff)));
                throw error;
            }
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Makes this process's runs take slots from {@code store} from now on; null goes back to the store the
     * settings name, opened on next use.
     *
     * @return the previous store, or null
     */
    static SlotStore use(SlotStore store) {
        LOCK.lock();
        try {
            Limiter previous = current;
            current = store == null ? null : new Limiter(store, Settings.load());
            failure = null;
            if (previous != null) {
                previous.retire();
            }
            return previous == null ? null : previous.store();
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Replaces how the store is opened, and forgets the open store and any failure: for tests of the
     * opening itself.
     *
     * @param open opens a store from the settings
     */
    static void openWith(Function<Settings, SlotStore> open) {
        LOCK.lock();
        try {
            opener = open;
            failure = null;
            Limiter previous = current;
            current = null;
            if (previous != null) {
                previous.retire();
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** Limits changed in some store: the process's limiter reads its limited tags again. */
    static void limitsChanged() {
        Limiter l = current;
        if (l != null) {
            l.limitsChanged();
        }
    }
}
