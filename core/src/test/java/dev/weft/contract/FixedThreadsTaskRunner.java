package dev.weft.contract;

import dev.weft.TaskRunner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A runner on a fixed pool of platform threads, for tests: with two threads, a runner that parked a
 * thread per waiting run would deadlock on any graph deeper than two, so it shows that the engine never
 * does.
 */
public final class FixedThreadsTaskRunner implements TaskRunner {
    private final int threads;
    private volatile ExecutorService pool;

    /** Creates a runner of {@code threads} platform threads. */
    public FixedThreadsTaskRunner(int threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return "FixedThreadsTaskRunner(" + threads + ")";
    }

    @Override
    public void start() {
        if (pool != null) {
            throw new IllegalStateException(name() + " was already started");
        }
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fixed-runner-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void submit(Call call) {
        ExecutorService p = pool;
        if (p == null) {
            throw new IllegalStateException(name() + " has not been started");
        }
        if (p.isShutdown()) {
            throw new IllegalStateException(name() + " has been shut down");
        }
        p.execute(() -> call.run(null));
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    @Override
    public TaskRunner duplicate() {
        return new FixedThreadsTaskRunner(threads);
    }
}
