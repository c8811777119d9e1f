package dev.weft;

import dev.weft.internal.Lifecycle;
import dev.weft.internal.SerialExecutor;

/**
 * Runs submitted task runs one at a time, in the order they become ready, synchronous and asynchronous
 * bodies alike: the next run starts only when the previous one has ended.
 *
 * <p>There is no thread of its own. A run that is ready when it is submitted runs on the submitting
 * thread before {@code submit} returns, so a flow that only submits runs exactly as if it called its
 * tasks in order. A run that becomes ready later (its inputs come from another runner, or an asynchronous
 * run is in flight) runs on the thread that made it ready. A task that waits for a run queued behind it
 * runs the queue while it waits, so it never deadlocks.
 *
 * <p>Thread-safe.
 */
public final class SequentialTaskRunner implements TaskRunner {
    private final Lifecycle lifecycle = new Lifecycle("SequentialTaskRunner");
    private final SerialExecutor executor = new SerialExecutor();

    /** Creates a runner; a flow run starts it. */
    public SequentialTaskRunner() {}

    @Override
    public void start() {
        lifecycle.start();
    }

    @Override
    public void submit(Call call) {
        lifecycle.requireStarted();
        executor.execute(call);
    }

    @Override
    public void shutdown() {
        if (lifecycle.shutDown()) {
            executor.crashQueued(name());
        }
    }

    @Override
    public TaskRunner duplicate() {
        return new SequentialTaskRunner();
    }
}
