package dev.weft.examples.seed;

import dev.weft.Annotate;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import java.util.Map;

/**
 * Twin of "Dask annotations", resources: a cluster of one worker that claims 1 GPU and 1 process; {@code
 * show(0)} needs the GPU, and {@code show(1)} to {@code show(3)} each need the process, so they run one
 * after the other, in submission order, while {@code show(0)} may run beside them.
 *
 * <p>The seed calls {@code show(0)} directly: in the Prefect of that page, calling a task in a flow
 * submitted it. In Weft a direct call runs in place, on the flow's thread, and resources concern submitted
 * calls only, so the twin submits. A Dask worker started without {@code threads_per_worker} gets a thread
 * per core; a Weft worker gets one thread unless told otherwise, so the twin asks for two, enough for the
 * GPU task to run beside a process task.
 */
public final class AnnotateResources {
    private AnnotateResources() {}

    // snippet:annotate-resources
    static final Task1<Integer, Void> show = Task.of("show", (Integer x) -> System.out.println(x));

    // Resources are abstract, as in Dask: nothing is inferred from the machine.
    // Here, we claim that our cluster has 1 GPU and 1 process available per worker
    static final ForkJoinTaskRunner cluster = ForkJoinTaskRunner.builder()
            .workers(1)
            .threadsPerWorker(2)
            .resources(Map.of("GPU", 1, "process", 1))
            .build();

    static final Flow<Void> myFlow = Flow.of("my-flow", cluster, AnnotateResources::submitShows);

    @SuppressWarnings("try") // -Xlint:try: a scope is never referenced inside its block; that is how it works
    static void submitShows() {
        try (Annotate gpu = Annotate.resources(Map.of("GPU", 1))) {
            // Prefect's example calls show(0); resources apply to submitted calls, so the twin submits
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
    // end-snippet:annotate-resources

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
    }
}
