package dev.weft.examples.cluster;

import dev.weft.Annotate;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.remote.HazelcastTaskRunner;

/**
 * Twin of "Dask annotations", priorities, on a cluster of one worker JVM with one thread: {@code show(1)} is
 * submitted with priority -10 and {@code show(2)} with priority 10, each inside an {@link Annotate} scope.
 * The flow's process places the calls: among those that wait for a worker's thread, the higher priority is
 * sent first. On an idle cluster the first call submitted takes the free thread at once, so the order shows
 * only when the worker is busy.
 */
public final class ClusterPriority {
    private ClusterPriority() {}

    // snippet:cluster-priority
    static final Task1<Integer, Void> show = Task.of("show", (Integer x) -> System.out.println(x));

    static final HazelcastTaskRunner cluster =
            HazelcastTaskRunner.builder().workers(1).threadsPerWorker(1).build();

    static final Flow<Void> myFlow = Flow.of("my-flow", cluster, ClusterPriority::submitShows);

    @SuppressWarnings("try") // -Xlint:try: a scope is never referenced inside its block; that is how it works
    static void submitShows() {
        try (Annotate low = Annotate.priority(-10)) {
            TaskFuture<Void> future = show.submit(1); // low priority task
        }
        try (Annotate high = Annotate.priority(10)) {
            TaskFuture<Void> future = show.submit(2); // high priority task
        }
    }
    // end-snippet:cluster-priority

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
    }
}
