package dev.weft.contract;

import dev.weft.Resources;
import dev.weft.TaskRunner;
import dev.weft.runner.Placement;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A runner on a fixed pool of platform threads, for tests: with two threads, a runner that parked a
 * thread per waiting run would deadlock on any graph deeper than two, so it shows that the engine never
 * does. It is one worker with as many slots as threads, placed by the engine's shared placement.
 */
public final class FixedThreadsTaskRunner implements TaskRunner {
    private final int threads;
    private final Resources resources;
    private final boolean callerRuns;
    private final Placement placement;
    private volatile ExecutorService pool;

    /** Creates a runner of {@code threads} platform threads and one worker without resources. */
    public FixedThreadsTaskRunner(int threads) {
        this(threads, Map.of());
    }

    /** Creates a runner of {@code threads} platform threads and one worker with {@code resources}. */
    public FixedThreadsTaskRunner(int threads, Map<String, ? extends Number> resources) {
        this(threads, resources, false);
    }

    /**
     * Creates a runner of {@code threads} platform threads and one worker with {@code resources}; with {@code
     * callerRuns}, a thread that waits for a call placed there may run it ({@link Placement.Builder#callerRuns()}).
     */
    public FixedThreadsTaskRunner(int threads, Map<String, ? extends Number> resources, boolean callerRuns) {
        this.threads = threads;
        this.resources = Resources.of(resources);
        this.callerRuns = callerRuns;
        Placement.Builder placing = Placement.builder(name())
                .worker("worker-0", this.resources, threads)
                .launcher(placed -> pool.execute(placed));
        if (callerRuns) {
            placing.callerRuns();
        }
        this.placement = placing.build();
    }

    @Override
    public String name() {
        return "FixedThreadsTaskRunner(" + threads + (callerRuns ? ", callers run" : "") + ")";
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
        placement.submit(call);
    }

    @Override
    public void shutdown() {
        if (!pool.isShutdown()) {
            placement.crashWaiting(name() + " was shut down before the call could start");
        }
        pool.shutdown();
    }

    @Override
    public TaskRunner duplicate() {
        return new FixedThreadsTaskRunner(threads, resources.asMap(), callerRuns);
    }
}
