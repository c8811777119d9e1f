package dev.weft.jmh;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A batch of 10,000 independent no-op tasks, all submitted at once and all awaited: what one task run
 * costs when nothing links it to another. Each task returns its input; an invocation sums every result
 * and throws if the sum is wrong.
 *
 * <p>The {@code runner} rows:
 *
 * <ul>
 *   <li>{@code jdk-virtual}: 10,000 {@code Callable}s submitted to {@code
 *       Executors.newVirtualThreadPerTaskExecutor()}, then {@code get()} on every {@code Future}.
 *   <li>{@code jdk-forkjoin}: the same on a dedicated {@code ForkJoinPool} with one thread per core.
 *   <li>{@code weft-sequential}, {@code weft-concurrent}, {@code weft-forkjoin}: one flow run whose body
 *       submits the task 10,000 times and then takes every {@code result()}. The whole flow run is part of
 *       each invocation, as it is for a user: it names the run, starts the runner, moves every task run
 *       through its states, waits until all are final and shuts the runner down. The JDK rows make their
 *       executor once per trial. {@code weft-forkjoin} is {@code new ForkJoinTaskRunner()}: one worker per
 *       core with one thread each, as many threads as {@code jdk-forkjoin}'s pool, every call placed on a
 *       worker with a free slot.
 * </ul>
 *
 * <p>Scores are tasks per second (higher is better), so {@code weft-concurrent / jdk-virtual} is the
 * share of a plain virtual-thread program's throughput that Weft keeps, and {@code weft-forkjoin /
 * jdk-forkjoin} the share of a plain fork-join program's on the same number of threads. Logging is disabled (the jar
 * carries {@code slf4j-nop}): no sink wants the state-change events then, so the recorder makes none,
 * while every run's state is still tracked and readable from its future. With {@code -prof gc}, {@code
 * gc.alloc.rate.norm} is bytes per task.
 *
 * <pre>{@code
 * jmh/bench IndependentTasks
 * jmh/bench IndependentTasks -p runner=jdk-virtual,weft-concurrent -prof gc
 * jmh/bench IndependentTasks -p runner=jdk-forkjoin,weft-forkjoin -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class IndependentTasks {
    static final int TASKS = 10_000;
    private static final long EXPECTED_SUM = (long) TASKS * (TASKS - 1) / 2;

    private static final Task1<Integer, Integer> NOOP = Task.of("noop", (Integer x) -> x);
    private static final Flow<Long> BATCH = Flow.of("independent-tasks", () -> weftBatch(NOOP));

    /** The row: a Weft runner, or the bare-JDK baseline it is compared with. */
    @Param({Runners.JDK_VIRTUAL, Runners.JDK_FORKJOIN, "weft-sequential", "weft-concurrent", Runners.WEFT_FORKJOIN})
    public String runner;

    /** Where the run history goes: {@code off} (as the other benchmarks), {@code memory} or {@code store}. */
    @Param({"off"})
    public String history;

    /** Whether the counters file that {@code weft stat} reads is kept: {@code on} (the default) or {@code off}. */
    @Param({"on"})
    public String counters;

    private ExecutorService executor;
    private Flow<Long> flow;

    /** Makes the row's executor, or the flow with the row's runner. */
    @Setup(Level.Trial)
    public void setUp() {
        Runners.observe(history, counters);
        switch (runner) {
            case Runners.JDK_VIRTUAL, Runners.JDK_FORKJOIN -> executor = Runners.jdk(runner);
            default -> flow = BATCH.withTaskRunner(Runners.weft(runner));
        }
    }

    /** Closes the row's executor, if it has one. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (executor != null) {
            executor.close();
        }
    }

    /**
     * Runs and awaits the 10,000 tasks once.
     *
     * @return the sum of their results, checked
     * @throws Exception if a task failed
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long batch() throws Exception {
        long sum = flow != null ? flow.call() : jdkBatch(executor);
        if (sum != EXPECTED_SUM) {
            throw new IllegalStateException(runner + ": the results sum to " + sum + ", not " + EXPECTED_SUM);
        }
        return sum;
    }

    /**
     * Submits the batch of {@link #TASKS} calls of {@code task} in the current flow run, then takes every
     * result and sums them; the other batch benchmarks share it.
     */
    static long weftBatch(Task1<Integer, Integer> task) {
        List<TaskFuture<Integer>> futures = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            futures.add(task.submit(i));
        }
        long sum = 0;
        for (TaskFuture<Integer> future : futures) {
            sum += future.result();
        }
        return sum;
    }

    private static long jdkBatch(ExecutorService executor) throws Exception {
        List<Future<Integer>> futures = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            Integer input = i;
            futures.add(executor.submit(() -> input));
        }
        long sum = 0;
        for (Future<Integer> future : futures) {
            sum += future.get();
        }
        return sum;
    }
}
