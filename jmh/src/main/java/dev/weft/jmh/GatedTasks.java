package dev.weft.jmh;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What resources cost a call on the {@link ForkJoinTaskRunner}: the {@link IndependentTasks} batch (10,000
 * no-op tasks, each returning its input, all submitted, then every result taken and summed) on a runner of
 * 2 workers x 1 thread, each worker with {@code process=1}, with the calls gated by that resource or not.
 * An invocation throws if the sum is wrong.
 *
 * <p>The {@code gate} rows, on the same runner ({@code ForkJoinTaskRunner.builder().workers(2)
 * .threadsPerWorker(1).resources(Map.of("process", 1)).build()}):
 *
 * <ul>
 *   <li>{@code none}: the task as is; a call needs only a free thread slot on a worker.
 *   <li>{@code process}: the task {@code withResources(Map.of("process", 1))}; a call also needs a worker's
 *       one {@code process}, reserved before it starts and given back once it is final, so each worker
 *       runs one such call at a time.
 * </ul>
 *
 * <p>Both rows run at most 2 calls at once (one thread slot per worker), so the gate takes no parallelism
 * away: the difference is the bookkeeping of reserving and giving back the resource, and of placing calls
 * that wait for it. {@code process / none} is the share of the ungated throughput that gated calls keep
 * (0.5 or more means within 2x). Scores are tasks per second (higher is better), {@code
 * @OperationsPerInvocation(10_000)}; the whole flow run is part of each invocation, as in {@link
 * IndependentTasks}. With {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes per task.
 *
 * <pre>{@code
 * jmh/bench GatedTasks
 * jmh/bench GatedTasks -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class GatedTasks {
    static final int TASKS = 10_000;
    private static final long EXPECTED_SUM = (long) TASKS * (TASKS - 1) / 2;

    /** The resource each worker has one of, and a gated call needs. */
    static final String PROCESS = "process";

    private static final Task1<Integer, Integer> NOOP = Task.of("noop", (Integer x) -> x);
    private static final Task1<Integer, Integer> GATED_NOOP = NOOP.withResources(Map.of(PROCESS, 1));

    /** The row: {@code none} for ungated calls, {@code process} for calls that need one process. */
    @Param({"none", PROCESS})
    public String gate;

    private Flow<Long> flow;

    /** Makes the flow, with the runner both rows share and the row's task. */
    @Setup(Level.Trial)
    public void setUp() {
        Task1<Integer, Integer> task =
                switch (gate) {
                    case "none" -> NOOP;
                    case PROCESS -> GATED_NOOP;
                    default ->
                        throw new IllegalArgumentException("'" + gate + "' is not a gate; known: none, " + PROCESS);
                };
        ForkJoinTaskRunner runner = ForkJoinTaskRunner.builder()
                .workers(2)
                .threadsPerWorker(1)
                .resources(Map.of(PROCESS, 1))
                .build();
        flow = Flow.of("gated-tasks", runner, () -> IndependentTasks.weftBatch(task));
    }

    /**
     * Runs and awaits the 10,000 tasks once.
     *
     * @return the sum of their results, checked
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long batch() {
        long sum = flow.call();
        if (sum != EXPECTED_SUM) {
            throw new IllegalStateException("gate " + gate + ": the results sum to " + sum + ", not " + EXPECTED_SUM);
        }
        return sum;
    }
}
