package dev.weft;

import dev.weft.internal.Lifecycle;
import java.util.concurrent.ThreadFactory;

/**
 * Runs each submitted task run on a virtual thread of its own, so that thousands of runs that block on
 * IO, sleep or wait are in flight at once. The default runner of a flow.
 *
 * <p>A task whose body returns a {@code CompletionStage} gives its thread back when the body returns; the
 * run ends when the stage does.
 *
 * <p>Thread-safe.
 */
public final class ConcurrentTaskRunner implements TaskRunner {
    private final Lifecycle lifecycle = new Lifecycle("ConcurrentTaskRunner");
    private final ThreadFactory threads = Thread.ofVirtual().factory();

    /** Creates a runner; a flow run starts it. */
    public ConcurrentTaskRunner() {}

    @Override
    public void start() {
        lifecycle.start();
    }

    @Override
    public void submit(Call call) {
        lifecycle.requireStarted();
        threads.newThread(() -> call.run(null)).start();
    }

    @Override
    public void shutdown() {
        lifecycle.shutDown();
    }

    @Override
    public TaskRunner duplicate() {
        return new ConcurrentTaskRunner();
    }
}
