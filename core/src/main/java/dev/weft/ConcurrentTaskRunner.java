package dev.weft;

import dev.weft.runner.Lifecycle;
import dev.weft.runner.Placement;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/**
 * Runs each submitted task run on a virtual thread of its own, so that thousands of runs that block on
 * IO, sleep or wait are in flight at once. The default runner of a flow.
 *
 * <p>It is one worker with as many threads as there are calls, and with the resources given to its
 * constructor (none by default). A call that needs resources starts when they are free, holding no thread
 * while it waits; among such waiting calls, higher priorities start first. A call that needs more than the
 * worker has fails at once. A task whose body returns a {@code CompletionStage} gives its thread back when
 * the body returns; the run ends when the stage does.
 *
 * <p>Thread-safe.
 */
public final class ConcurrentTaskRunner implements TaskRunner {
    private final Resources resources;
    private final Lifecycle lifecycle = new Lifecycle("ConcurrentTaskRunner");
    private final ThreadFactory threads = Thread.ofVirtual().factory();
    private final Placement placement;

    /** Creates a runner whose one worker has no resources; a flow run starts it. */
    public ConcurrentTaskRunner() {
        this(Resources.NONE);
    }

    /**
     * Creates a runner whose one worker has the given resources, such as {@code Map.of("GPU", 1)}.
     *
     * @param resources the worker's resources
     * @throws IllegalArgumentException for an invalid amount (see {@link Resources#of(Map)})
     */
    public ConcurrentTaskRunner(Map<String, ? extends Number> resources) {
        this(Resources.of(resources));
    }

    private ConcurrentTaskRunner(Resources resources) {
        this.resources = resources;
        this.placement = Placement.builder("ConcurrentTaskRunner")
                .worker("worker-0", resources, Placement.UNBOUNDED_SLOTS)
                .launcher(placed -> threads.newThread(placed).start())
                .build();
    }

    @Override
    public void start() {
        lifecycle.start();
    }

    @Override
    public void submit(Call call) {
        lifecycle.requireStarted();
        if (call.resources().isEmpty()) {
            // The one worker has a thread for every call: a call that needs nothing never waits.
            threads.newThread(() -> call.run(null)).start();
        } else {
            placement.submit(call);
        }
    }

    @Override
    public void shutdown() {
        if (lifecycle.shutDown()) {
            placement.crashWaiting("ConcurrentTaskRunner was shut down before the call could start");
        }
    }

    @Override
    public TaskRunner duplicate() {
        return new ConcurrentTaskRunner(resources);
    }
}
