package dev.weft.internal;

import dev.weft.runner.WaitHelper;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * A fork-join pool's thread that keeps what the engine tracks for each thread in fields of its own: what it
 * works for ({@link Context}), the wait helper of the call it runs ({@link WaitHelper}) and its stripe of the
 * process's counters ({@link Counters}). Other threads keep the first two in thread-locals and look their
 * stripe up, several lookups for every run; the engine reaches these fields through an {@code instanceof}
 * check of the current thread instead. Made through
 * {@link dev.weft.runner.PoolThreads}.
 *
 * <p>Each field is read and written only by the thread itself.
 */
public final class PoolThread extends ForkJoinWorkerThread {
    /** What the thread works for: a flow run, a task run, or null. */
    Object context;

    private WaitHelper helper;

    /** The counters whose owned stripe {@link #stripe} is, or null before the thread first counts. */
    Counters counters;

    /** The thread's owned stripe of {@link #counters}; it keeps it while it lives. */
    int stripe;

    /**
     * Creates a thread for {@code pool} as the pool's default factory would: thread-locals kept from one task
     * to the next, the system class loader as its context class loader.
     *
     * @param pool the pool the thread works for
     */
    public PoolThread(ForkJoinPool pool) {
        super(null, pool, true);
        setContextClassLoader(ClassLoader.getSystemClassLoader());
    }

    /**
     * Returns the wait helper of the call the thread runs.
     *
     * @return the helper, or null
     */
    public WaitHelper helper() {
        return helper;
    }

    /**
     * Sets the wait helper of the call the thread runs, and returns the one before.
     *
     * @param next the helper, or null
     * @return the helper it replaces
     */
    public WaitHelper swapHelper(WaitHelper next) {
        WaitHelper previous = helper;
        helper = next;
        return previous;
    }
}
