package dev.weft.examples.cluster;

import dev.weft.Annotate;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.remote.HazelcastTaskRunner;
import java.util.Map;

/**
 * Twin of "Dask annotations", resources, on a cluster: one worker JVM that claims 1 GPU and 1 process, as
 * the seed's {@code cluster_kwargs={"n_workers": 1, "resources": {"GPU": 1, "process": 1}}}. {@code show(0)}
 * needs the GPU and {@code show(1)} to {@code show(3)} each need the process, so those three take turns, in
 * submission order, while {@code show(0)} may run beside them.
 *
 * <p>As in the local twin, the calls are submitted (a direct call runs in place, where resources mean
 * nothing), and the worker gets two threads, enough for the GPU call to run beside a process call: a Dask
 * worker started without {@code threads_per_worker} gets a thread per core, a Weft worker the threads it is
 * given.
 */
public final class ClusterResources {
    private ClusterResources() {}

    // snippet:cluster-resources
    static final Task1<Integer, Void> show = Task.of("show", (Integer x) -> System.out.println(x));

    // Resources are abstract, as in Dask: nothing is inferred from the machine.
    // Here, we claim that our cluster's one worker JVM has 1 GPU and 1 process
    static final HazelcastTaskRunner cluster = HazelcastTaskRunner.builder()
            .workers(1)
            .threadsPerWorker(2)
            .resources(Map.of("GPU", 1, "process", 1))
            .build();

    static final Flow<Void> myFlow = Flow.of("my-flow", cluster, ClusterResources::submitShows);

    @SuppressWarnings("try") // -Xlint:try: a scope is never referenced inside its block; that is how it works
    static void submitShows() {
        try (Annotate gpu = Annotate.resources(Map.of("GPU", 1))) {
            TaskFuture<Void> future = show.submit(0); // this task requires 1 GPU resource on a worker
        }
        try (Annotate process = Annotate.resources(Map.of("process", 1))) {
            // These tasks each require 1 process on a worker; because we've
            // specified that our cluster has 1 process per worker and 1 worker,
            // these tasks will run sequentially
            TaskFuture<Void> future = show.submit(1);
            future = show.submit(2);
            future = show.submit(3);
        }
    }
    // end-snippet:cluster-resources

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
    }
}
