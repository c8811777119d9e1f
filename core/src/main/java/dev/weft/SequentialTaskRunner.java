package dev.weft;

import dev.weft.internal.SerialExecutor;
import dev.weft.runner.Lifecycle;
import dev.weft.runner.RunnerSpec;
import java.util.Map;

/**
 * Runs submitted task runs one at a time, synchronous and asynchronous bodies alike: the next run starts
 * only when the previous one has ended. Among runs waiting to start, higher priorities start first, and
 * equal priorities start in the order they became ready.
 *
 * <p>There is no thread of its own. A run that is ready when it is submitted runs on the submitting
 * thread before {@code submit} returns, so a flow that only submits runs exactly as if it called its
 * tasks in order. A run that becomes ready later (its inputs come from another runner, or an asynchronous
 * run is in flight) runs on the thread that made it ready. A task that waits for a run queued behind it
 * runs the queue while it waits, so it never deadlocks.
 *
 * <p>It is one worker, with the resources given to its constructor (none by default): a call that needs
 * more than that fails at once; any other call fits, since runs do not overlap.
 *
 * <p>Thread-safe.
 */
public final class SequentialTaskRunner implements TaskRunner {
    private final Resources resources;
    private final Lifecycle lifecycle = new Lifecycle("SequentialTaskRunner");
    private final SerialExecutor executor = new SerialExecutor();

    /** Creates a runner whose worker has no resources; a flow run starts it. */
    public SequentialTaskRunner() {
        this(Resources.NONE);
    }

    /**
     * Creates a runner whose worker has the given resources, such as {@code Map.of("GPU", 1)}.
     *
     * @param resources the worker's resources
     * @throws IllegalArgumentException for an invalid amount (see {@link Resources#of(Map)})
     */
    public SequentialTaskRunner(Map<String, ? extends Number> resources) {
        this(Resources.of(resources));
    }

    private SequentialTaskRunner(Resources resources) {
        this.resources = resources;
    }

    @Override
    public void start() {
        lifecycle.start();
    }

    @Override
    public void submit(Call call) {
        lifecycle.requireStarted();
        if (!call.resources().fitsIn(resources)) {
            throw new InsufficientResourcesException("No worker of SequentialTaskRunner can ever run it: it needs "
                    + call.resources() + ", and its worker has " + resources);
        }
        executor.execute(call);
    }

    @Override
    public void shutdown() {
        if (lifecycle.shutDown()) {
            executor.crashQueued(name());
        }
    }

    @Override
    public RunnerSpec spec() {
        return RunnerSpec.IN_PROCESS_SERIAL;
    }

    @Override
    public TaskRunner duplicate() {
        return new SequentialTaskRunner(resources);
    }
}
