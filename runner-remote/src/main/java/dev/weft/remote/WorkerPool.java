package dev.weft.remote;

import java.util.List;

/** Where a runner that makes its own cluster gets its workers: JVMs on this host, or SLURM jobs. */
interface WorkerPool extends AutoCloseable {
    /**
     * Starts workers.
     *
     * @param count how many
     * @param deadlineNanos a {@link System#nanoTime()} deadline for what the pool waits for
     * @return their names, as they will join the cluster
     * @throws IllegalStateException if they cannot be started, saying why
     */
    List<String> start(int count, long deadlineNanos);

    /**
     * Returns how many workers were started and have not joined yet, such as jobs in the queue, or started
     * and not yet joined.
     *
     * @param joined the names of the workers in the cluster now
     * @return the count
     */
    default int starting(java.util.Set<String> joined) {
        return 0;
    }

    /**
     * Stops a worker.
     *
     * @param name its name
     */
    void stop(String name);

    /** Stops every worker. */
    @Override
    void close();
}
