package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.forkjoin.ForkJoinTaskRunner;

/**
 * Twin of "Using a task runner" of the first "Task runners" page: a flow is given its runner when it is
 * defined, either as a type, which each flow run creates with its default settings, or as an instance,
 * which each flow run copies. The seed's flows use Dask, the second one at an existing cluster's address;
 * both twins run on a {@link ForkJoinTaskRunner}, the second one configured: Weft's clusters are local,
 * so the twin gives its cluster a size instead of an address.
 */
public final class ChoosingATaskRunner {
    private ChoosingATaskRunner() {}

    // snippet:runner-type
    // A type: each flow run creates one with its default settings (a worker per core)
    static final Flow<Void> myFlow = Flow.of("my-flow", () -> {}).withTaskRunner(ForkJoinTaskRunner.class);
    // end-snippet:runner-type

    // snippet:runner-instance
    // An instance: each flow run works with a copy of it, settings included. Prefect's example gives the
    // address of an existing Dask cluster; Weft's cluster is a local one, given its size.
    static final Flow<Void> myConfiguredFlow = Flow.of(
            "my-flow",
            ForkJoinTaskRunner.builder().workers(2).threadsPerWorker(2).build(),
            () -> {});
    // end-snippet:runner-instance

    /**
     * Runs both flows.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
        myConfiguredFlow.call();
    }
}
