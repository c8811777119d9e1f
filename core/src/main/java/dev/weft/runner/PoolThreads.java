package dev.weft.runner;

import dev.weft.internal.PoolThread;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Threads for a runner's {@link ForkJoinPool}: each keeps what the engine tracks per thread (what it works
 * for, the wait helper of its call, its stripe of the counters) in fields of its own, where another thread
 * keeps them in thread-locals. The engine's work for every run a thread runs is the same on both; a pool
 * thread made here saves the thread-local lookups, several a run.
 *
 * {@snippet :
 * ForkJoinPool pool = new ForkJoinPool(threads, PoolThreads::newThread, null, true);
 * }
 *
 * <p>Stateless; thread-safe.
 */
public final class PoolThreads {
    private PoolThreads() {}

    /**
     * Makes a thread for {@code pool}, as {@link ForkJoinPool#defaultForkJoinWorkerThreadFactory} would (its
     * thread-locals kept from one task to the next), that keeps the engine's per-thread state in fields.
     *
     * @param pool the pool the thread works for
     * @return the thread, not started
     */
    public static ForkJoinWorkerThread newThread(ForkJoinPool pool) {
        return new PoolThread(pool);
    }
}
