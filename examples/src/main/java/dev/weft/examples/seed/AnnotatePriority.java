package dev.weft.examples.seed;

import dev.weft.Annotate;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.forkjoin.ForkJoinTaskRunner;

/**
 * Twin of "Dask annotations", priorities: {@code show(1)} is submitted with priority -10 and {@code
 * show(2)} with priority 10, each inside an {@link Annotate} scope, Weft's {@code with dask.annotate(...)}.
 * Among calls that wait for a worker, the higher priority starts first; on an idle cluster with a worker per
 * core both start at once, so the order shows only when the workers are busy.
 */
public final class AnnotatePriority {
    private AnnotatePriority() {}

    // snippet:annotate-priority
    static final Task1<Integer, Void> show = Task.of("show", (Integer x) -> System.out.println(x));

    static final Flow<Void> myFlow = Flow.of("my-flow", new ForkJoinTaskRunner(), AnnotatePriority::submitShows);

    @SuppressWarnings("try") // -Xlint:try: a scope is never referenced inside its block; that is how it works
    static void submitShows() {
        try (Annotate low = Annotate.priority(-10)) {
            TaskFuture<Void> future = show.submit(1); // low priority task
        }
        try (Annotate high = Annotate.priority(10)) {
            TaskFuture<Void> future = show.submit(2); // high priority task
        }
    }
    // end-snippet:annotate-priority

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
    }
}
