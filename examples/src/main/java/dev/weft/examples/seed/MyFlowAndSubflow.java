package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.SequentialTaskRunner;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.forkjoin.ForkJoinTaskRunner;

/**
 * Twin of "Using multiple task runners" of the first "Task runners" page: {@code my-flow} runs its tasks
 * on a {@link SequentialTaskRunner} and calls {@code my-subflow}, which has a runner of its own.
 *
 * <p>In the Prefect version of that page, calling a task inside a flow submitted it to the flow's runner
 * and waited for it, and the logs say "Submitting task run". Weft's {@code call()} runs a task in place
 * instead, so the twin submits; on a sequential runner a submitted task has finished when {@code submit}
 * returns, which is what the seed's calls did. The seed's subflow runs on a temporary Dask cluster; its
 * twin runs on a {@link ForkJoinTaskRunner}, a local cluster of its own.
 */
public final class MyFlowAndSubflow {
    private MyFlowAndSubflow() {}

    static final Task0<Void> helloLocal = Task.of("hello_local", () -> System.out.println("Hello!"));

    static final Task0<Void> helloDask = Task.of("hello_dask", () -> System.out.println("Hello from Dask!"));

    // Prefect's DaskTaskRunner() becomes a local cluster of one single-threaded worker per core
    static final Flow<Void> mySubflow = Flow.of("my-subflow", new ForkJoinTaskRunner(), () -> {
        helloDask.submit();
    });

    static final Flow<Void> myFlow = Flow.of("my-flow", new SequentialTaskRunner(), () -> {
        helloLocal.submit();
        mySubflow.call();
        helloLocal.submit();
    });

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
    }
}
