package dev.weft.examples;

import dev.weft.examples.cluster.ClusterAdaptive;
import dev.weft.examples.cluster.ClusterAddress;
import dev.weft.examples.cluster.ClusterElevator;
import dev.weft.examples.cluster.ClusterPriority;
import dev.weft.examples.cluster.ClusterResources;
import dev.weft.examples.cluster.ClusterSubflow;
import dev.weft.examples.gpu.GpuPipeline;
import dev.weft.examples.gpu.GpuResources;
import dev.weft.examples.many.AsCompleted;
import dev.weft.examples.many.MapScenes;
import dev.weft.examples.parallel.AnnotateScopes;
import dev.weft.examples.parallel.BlockingCalls;
import dev.weft.examples.parallel.ConnectionLimit;
import dev.weft.examples.parallel.EnvelopeRunner;
import dev.weft.examples.parallel.ParallelSum;
import dev.weft.examples.reliability.CancelRuns;
import dev.weft.examples.reliability.FlakyDownload;
import dev.weft.examples.reliability.FlowTimeout;
import dev.weft.examples.reliability.TaskTimeout;
import dev.weft.examples.science.MonteCarloPi;
import dev.weft.examples.seed.AnnotatePriority;
import dev.weft.examples.seed.AnnotateResources;
import dev.weft.examples.seed.ChoosingATaskRunner;
import dev.weft.examples.seed.ConcurrencyLimitClient;
import dev.weft.examples.seed.ConcurrentElevator;
import dev.weft.examples.seed.FutureResult;
import dev.weft.examples.seed.FutureType;
import dev.weft.examples.seed.GetState;
import dev.weft.examples.seed.GlassTower;
import dev.weft.examples.seed.LocalCluster;
import dev.weft.examples.seed.MixingTasksAndFunctions;
import dev.weft.examples.seed.MultipleTags;
import dev.weft.examples.seed.MultipleTaskRunners;
import dev.weft.examples.seed.MyFlowAndSubflow;
import dev.weft.examples.seed.OnlyFunctions;
import dev.weft.examples.seed.OnlyTasks;
import dev.weft.examples.seed.PrintResult;
import dev.weft.examples.seed.RaiseOnFailure;
import dev.weft.examples.seed.ResultIsBlocking;
import dev.weft.examples.seed.RunWithTaskRunner;
import dev.weft.examples.seed.SequentialElevator;
import dev.weft.examples.seed.SubflowConcurrencyLimits;
import dev.weft.examples.seed.TaskConcurrencyLimits;
import dev.weft.examples.seed.Wait;
import dev.weft.examples.seed.WaitFor;
import dev.weft.examples.seed.WaitWithTimeout;
import dev.weft.examples.seed.ZeroConcurrencyLimit;
import java.util.List;
import java.util.Optional;

/** Every example, in the order {@code weft demo} runs them. */
public final class Examples {
    private Examples() {}

    private static final String[] NO_ARGS = {};
    private static final String RUNNERS = "Task runners > ";
    private static final String RESULTS = "Task runners > Using results from submitted tasks > ";
    private static final String WHEN = "Task runners > When to use .result() in flows > ";
    private static final String DASK = "Task runners > Running tasks on Dask > ";
    private static final String LIMITS = "Task runners (first page) > Task run concurrency limits";
    private static final String RELIABILITY = "Weft's own: docs/concepts.md, Retries, timeouts and cancellation";
    private static final String MANY = "Weft's own: docs/concepts.md, Many runs at once";
    private static final String ON_CLUSTER = " (on a cluster: docs/cluster.md)";
    private static final String ON_GPU = " (on OpenCL devices: docs/gpu.md)";

    private static final List<Example> ALL = List.of(
            new Example(
                    "hello-world",
                    "a task submitted with a value, one given its future, one called in place",
                    "Weft's README",
                    () -> HelloWorld.main(NO_ARGS)),
            new Example(
                    "task-runner",
                    "submit() hands a task to the flow's task runner",
                    RUNNERS + "introduction",
                    () -> RunWithTaskRunner.main(NO_ARGS)),
            new Example(
                    "runner-type",
                    "a flow's runner, given as a type or as an instance",
                    "Task runners (first page) > Using a task runner",
                    () -> ChoosingATaskRunner.main(NO_ARGS)),
            new Example(
                    "elevator",
                    "the sequential runner stops on floors 1 to 9 in order",
                    RUNNERS + "Using a task runner",
                    () -> SequentialElevator.main(NO_ARGS)),
            new Example(
                    "concurrent-elevator",
                    "the concurrent runner moves to all floors at once; stops come as sleeps end",
                    RUNNERS + "Using a task runner",
                    () -> ConcurrentElevator.main(NO_ARGS)),
            new Example(
                    "glass-tower",
                    "towering-infernflow: 38 floors, strictly in order",
                    RUNNERS + "Running tasks sequentially",
                    () -> GlassTower.main(NO_ARGS)),
            new Example(
                    "subflow",
                    "a sequential flow calls a subflow with a runner of its own",
                    RUNNERS + "Using multiple task runners",
                    () -> MultipleTaskRunners.main(NO_ARGS)),
            new Example(
                    "my-subflow",
                    "the same, as the first page wrote it: my_flow and my_subflow",
                    "Task runners (first page) > Using multiple task runners",
                    () -> MyFlowAndSubflow.main(NO_ARGS)),
            new Example(
                    "future-type",
                    "submit() returns a TaskFuture",
                    RESULTS + "PrefectFuture",
                    () -> FutureType.main(NO_ARGS)),
            new Example(
                    "print-result",
                    "a future passed to a task reaches it as the value",
                    RESULTS + "passing futures",
                    () -> PrintResult.main(NO_ARGS)),
            new Example(
                    "result",
                    "result() waits and returns the value",
                    RESULTS + "result()",
                    () -> FutureResult.main(NO_ARGS)),
            new Example(
                    "raise-on-failure",
                    "resultOrException() returns a failure instead of throwing it",
                    RESULTS + "raise_on_failure=False",
                    () -> RaiseOnFailure.main(NO_ARGS)),
            new Example(
                    "get-state",
                    "state() tells where a run is, without waiting",
                    RESULTS + "get_state()",
                    () -> GetState.main(NO_ARGS)),
            new Example("wait", "await() waits for the final state", RESULTS + "wait()", () -> Wait.main(NO_ARGS)),
            new Example(
                    "wait-timeout",
                    "await(Duration) waits at most that long",
                    RESULTS + "wait(timeout)",
                    () -> WaitWithTimeout.main(NO_ARGS)),
            new Example(
                    "wait-for",
                    "waitFor(...) orders runs that share no data",
                    RESULTS + "wait_for=[]",
                    () -> WaitFor.main(NO_ARGS)),
            new Example(
                    "only-tasks",
                    "futures flow from task to task",
                    WHEN + "using only tasks",
                    () -> OnlyTasks.main(NO_ARGS)),
            new Example(
                    "only-functions",
                    "plain methods in a flow are not tracked",
                    WHEN + "using only Python functions",
                    () -> OnlyFunctions.main(NO_ARGS)),
            new Example(
                    "mixed",
                    "result() hands a task's value to plain code",
                    WHEN + "mixing the two",
                    () -> MixingTasksAndFunctions.main(NO_ARGS)),
            new Example(
                    "result-blocks",
                    "result() blocks the flow until the task has finished",
                    WHEN + "Calling .result() is blocking",
                    () -> ResultIsBlocking.main(NO_ARGS)),
            new Example(
                    "local-cluster",
                    "a local cluster of 4 workers x 2 threads counts primes in 16 slices",
                    DASK + "n_workers and threads_per_worker",
                    () -> LocalCluster.main(NO_ARGS)),
            new Example(
                    "annotate-priority",
                    "show(1) submitted with priority -10, show(2) with priority 10",
                    DASK + "Dask annotations (priority)",
                    () -> AnnotatePriority.main(NO_ARGS)),
            new Example(
                    "annotate-resources",
                    "a worker with 1 GPU and 1 process: the process tasks take turns, the GPU task runs beside",
                    DASK + "Dask annotations (resources)",
                    () -> AnnotateResources.main(NO_ARGS)),
            new Example(
                    "cluster-subflow",
                    "a sequential flow calls a subflow whose task runs in a worker JVM of a temporary cluster",
                    RUNNERS + "Using multiple task runners" + ON_CLUSTER,
                    () -> ClusterSubflow.main(NO_ARGS)),
            new Example(
                    "cluster-elevator",
                    "the concurrent elevator on two worker JVMs of five threads: all ten floors at once",
                    RUNNERS + "Using a task runner" + ON_CLUSTER,
                    () -> ClusterElevator.main(NO_ARGS)),
            new Example(
                    "cluster-priority",
                    "show(1) submitted with priority -10, show(2) with priority 10, on one worker JVM of one thread",
                    DASK + "Dask annotations (priority)" + ON_CLUSTER,
                    () -> ClusterPriority.main(NO_ARGS)),
            new Example(
                    "cluster-resources",
                    "a worker JVM with 1 GPU and 1 process: the process tasks take turns, the GPU task runs beside",
                    DASK + "Dask annotations (resources)" + ON_CLUSTER,
                    () -> ClusterResources.main(NO_ARGS)),
            new Example(
                    "cluster-address",
                    "a flow joins a running cluster of two workers by address, with the cluster's secret",
                    DASK + "Connecting to an existing cluster" + ON_CLUSTER,
                    () -> ClusterAddress.main(NO_ARGS)),
            new Example(
                    "cluster-adaptive",
                    "a burst of 40 naps grows a temporary cluster from 1 to 3 worker JVMs; idle, it shrinks back to 1",
                    DASK + "Adaptive scaling" + ON_CLUSTER,
                    () -> ClusterAdaptive.main(NO_ARGS)),
            new Example(
                    "gpu-resources",
                    "a worker per OpenCL device, with GPU=1 and 1 process: the process tasks take turns, the GPU task"
                            + " runs beside; each prints its device",
                    DASK + "Dask annotations (resources)" + ON_GPU,
                    () -> GpuResources.main(NO_ARGS)),
            new Example(
                    "concurrency-limits",
                    "a limit of 2 on 'small_instance': two queries run at once, the other four wait Queued for a slot",
                    LIMITS,
                    () -> TaskConcurrencyLimits.main(NO_ARGS)),
            new Example(
                    "multiple-tags",
                    "a task with two tags runs only when both have a free slot: 'database' (limit 1) lets one run at a"
                            + " time",
                    LIMITS + " > a task with multiple tags",
                    () -> MultipleTags.main(NO_ARGS)),
            new Example(
                    "zero-concurrency-limit",
                    "a limit of 0 aborts the run instead of delaying it; the flow run ends Cancelled",
                    LIMITS + " > note: 0 concurrency limit aborts task runs",
                    () -> ZeroConcurrencyLimit.main(NO_ARGS)),
            new Example(
                    "subflow-concurrency-limits",
                    "a task holds the only slot and calls a subflow whose task needs it: Weft reports the deadlock",
                    LIMITS + " > warning: Concurrency limits in subflows",
                    () -> SubflowConcurrencyLimits.main(NO_ARGS)),
            new Example(
                    "concurrency-limit-client",
                    "WeftClient creates, reads, lists and deletes a limit of 10 on 'small_instance'",
                    LIMITS + " > Configuring concurrency limits > Python client",
                    () -> ConcurrencyLimitClient.main(NO_ARGS)),
            new Example(
                    "monte-carlo-pi",
                    "a Monte Carlo estimate of pi: fan-out, gather, an async task, a sequential subflow",
                    "Weft's own",
                    () -> MonteCarloPi.main(NO_ARGS)),
            new Example(
                    "gpu-pipeline",
                    "inputs made on the CPU, Monte Carlo pi and a matrix product on an OpenCL device, both checked"
                            + " against Java",
                    "Weft's own: docs/gpu.md",
                    () -> GpuPipeline.main(NO_ARGS)),
            new Example(
                    "parallel-sum",
                    "a recursive fan-out: calls that wait for their children give their slot back",
                    "Weft's own: docs/forkjoin.md",
                    () -> ParallelSum.main(NO_ARGS)),
            new Example(
                    "envelope-runner",
                    "a runner written on the exported toolkit: calls cross to differing workers as bytes",
                    "Weft's own: docs/runner-spi.md",
                    () -> EnvelopeRunner.main(NO_ARGS)),
            new Example(
                    "annotate-scopes",
                    "Annotate scopes nest, and a task's own priority and resources win over them",
                    "Weft's own: docs/forkjoin.md",
                    () -> AnnotateScopes.main(NO_ARGS)),
            new Example(
                    "blocking-calls",
                    "downloads in a subflow on virtual threads, word counts on the cluster, one managedBlock",
                    "Weft's own: docs/forkjoin.md",
                    () -> BlockingCalls.main(NO_ARGS)),
            new Example(
                    "connection-limit",
                    "a resource as a concurrency limit: at most 2 queries hold a connection at once",
                    "Weft's own: docs/forkjoin.md",
                    () -> ConnectionLimit.main(NO_ARGS)),
            new Example(
                    "flaky-download",
                    "retries with exponential backoff get a file on the third try; a bad request fails at once",
                    RELIABILITY,
                    () -> FlakyDownload.main(NO_ARGS)),
            new Example(
                    "task-timeout",
                    "a try that hangs times out after 200 ms and is interrupted; the retry completes",
                    RELIABILITY,
                    () -> TaskTimeout.main(NO_ARGS)),
            new Example(
                    "cancel-runs",
                    "cancelled runs: a waiting one never starts, nor does its downstream; a running one is"
                            + " interrupted; a started flow run is cancelled",
                    RELIABILITY,
                    () -> CancelRuns.main(NO_ARGS)),
            new Example(
                    "flow-timeout",
                    "a flow run times out after 300 ms: its running export is interrupted, the queued ones never"
                            + " start",
                    RELIABILITY,
                    () -> FlowTimeout.main(NO_ARGS)),
            new Example(
                    "map",
                    "task.map: a render per scene, each once its scene is loaded, the formats held out",
                    MANY,
                    () -> MapScenes.main(NO_ARGS)),
            new Example(
                    "as-completed",
                    "three mirrors asked at once, their answers taken as they come, then waitAll",
                    MANY,
                    () -> AsCompleted.main(NO_ARGS)));

    /**
     * Returns every example, in demo order: the seed pages' examples in the order the newer page tells
     * them, each of the first page's next to its newer twin and the twins on a cluster and on OpenCL
     * devices after the Dask section's, then Weft's own.
     *
     * @return the examples, an immutable list
     */
    public static List<Example> all() {
        return ALL;
    }

    /**
     * Finds an example by name.
     *
     * @param name the example's name
     * @return the example, if there is one of that name
     */
    public static Optional<Example> named(String name) {
        return all().stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
