package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.SequentialTaskRunner;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.forkjoin.ForkJoinTaskRunner;

/**
 * Twin of "Using multiple task runners": a flow on a {@link SequentialTaskRunner} calls a subflow that
 * runs its task on another runner, then goes on with its own. The seed's subflow runs on a temporary Dask
 * cluster; its twin runs on a {@link ForkJoinTaskRunner}, a local cluster that the subflow run creates
 * when it begins and shuts down when it ends.
 */
public final class MultipleTaskRunners {
    private MultipleTaskRunners() {}

    // snippet:subflow
    static final Task0<Void> helloLocal = Task.of("hello_local", () -> System.out.println("Hello!"));

    static final Task0<Void> helloDask = Task.of("hello_dask", () -> System.out.println("Hello from Dask!"));

    // Prefect's DaskTaskRunner() becomes a local cluster of one single-threaded worker per core
    static final Flow<Void> daskSubflow = Flow.of("dask-subflow", new ForkJoinTaskRunner(), () -> {
        helloDask.submit();
    });

    static final Flow<Void> sequentialFlow = Flow.of("sequential-flow", new SequentialTaskRunner(), () -> {
        helloLocal.submit();
        daskSubflow.call();
        helloLocal.submit();
    });
    // end-snippet:subflow

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        sequentialFlow.call();
    }
}
