package dev.weft.examples.parallel;

import dev.weft.Annotate;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import java.util.Map;

/**
 * {@link Annotate} scopes nest: an inner scope sets what it names and keeps the rest of the outer one,
 * closing it restores the outer one, and a task's own {@code withPriority} or {@code withResources} wins
 * over any scope. Each call prints the priority and resources it was submitted with.
 */
public final class AnnotateScopes {
    private AnnotateScopes() {}

    // snippet:annotate-scopes
    static final Task1<String, Void> show = Task.of("show", (String x) -> System.out.println(x));

    // One worker with 2 threads and a GPU: the calls that need the GPU take turns
    static final ForkJoinTaskRunner cluster = ForkJoinTaskRunner.builder()
            .workers(1)
            .threadsPerWorker(2)
            .resources(Map.of("GPU", 1))
            .build();

    static final Flow<Void> scopes = Flow.of("annotate-scopes", cluster, AnnotateScopes::submitAll);

    @SuppressWarnings("try") // -Xlint:try: a scope is never referenced inside its block; that is how it works
    static void submitAll() {
        try (Annotate gpu = Annotate.of(5, Map.of("GPU", 1))) {
            show.submit("priority 5, GPU=1");
            try (Annotate urgent = Annotate.priority(10)) {
                show.submit("priority 10, GPU=1"); // the inner scope sets the priority, keeps the GPU
                show.withPriority(0).submit("priority 0, GPU=1"); // the task's own setting wins
            }
            show.submit("priority 5, GPU=1 again"); // closing the inner scope restored the outer one
            show.withResources(Map.of("GPU", 0.5)).submit("priority 5, GPU=0.5"); // two such calls share a GPU
        }
        show.submit("priority 0, no resources"); // outside every scope
    }
    // end-snippet:annotate-scopes

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        scopes.call();
    }
}
