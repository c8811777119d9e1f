package dev.weft.examples.seed;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.SequentialTaskRunner;

/**
 * Twin of "Using a task runner" of the first "Task runners" page: a flow is given its runner when it is
 * defined, either as a type, which each flow run creates with its default settings, or as an instance,
 * which each flow run copies. The seed's flows use Dask, one of them at a cluster's address; these run on
 * the {@link ConcurrentTaskRunner} until Weft's parallel and cluster runners exist.
 */
public final class ChoosingATaskRunner {
    private ChoosingATaskRunner() {}

    // snippet:runner-type
    // Prefect's example runs on Dask; until Weft's parallel runner exists, this one runs concurrently.
    static final Flow<Void> myFlow = Flow.of("my-flow", () -> {}).withTaskRunner(ConcurrentTaskRunner.class);
    // end-snippet:runner-type

    // snippet:runner-instance
    // Prefect's example configures Dask with a cluster's address; Weft's runners take no settings yet.
    static final Flow<Void> mySequentialFlow = Flow.of("my-sequential-flow", new SequentialTaskRunner(), () -> {});
    // end-snippet:runner-instance

    /**
     * Runs both flows.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
        mySequentialFlow.call();
    }
}
