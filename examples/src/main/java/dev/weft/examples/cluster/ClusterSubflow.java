package dev.weft.examples.cluster;

import dev.weft.Flow;
import dev.weft.SequentialTaskRunner;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.remote.HazelcastTaskRunner;

/**
 * Twin of "Using multiple task runners", on a cluster: a flow on a {@link SequentialTaskRunner} calls a
 * subflow whose task runs on a temporary cluster of worker JVMs, a {@link HazelcastTaskRunner}, then goes on
 * with its own. The subflow run creates the cluster when it begins and stops it when it ends, as Prefect's
 * {@code DaskTaskRunner()} does with its temporary Dask cluster. {@code hello_dask} runs in a worker JVM;
 * what it prints there appears on this JVM's console.
 */
public final class ClusterSubflow {
    private ClusterSubflow() {}

    // snippet:cluster-subflow
    static final Task0<Void> helloLocal = Task.of("hello_local", () -> System.out.println("Hello!"));

    static final Task0<Void> helloDask = Task.of("hello_dask", () -> System.out.println("Hello from Dask!"));

    // Prefect's DaskTaskRunner() becomes a temporary cluster of worker JVMs on this host; one is enough here
    static final Flow<Void> daskSubflow = Flow.of(
            "dask-subflow",
            HazelcastTaskRunner.builder().workers(1).threadsPerWorker(1).build(),
            () -> {
                helloDask.submit();
            });

    static final Flow<Void> sequentialFlow = Flow.of("sequential-flow", new SequentialTaskRunner(), () -> {
        helloLocal.submit();
        daskSubflow.call();
        helloLocal.submit();
    });
    // end-snippet:cluster-subflow

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        sequentialFlow.call();
    }
}
