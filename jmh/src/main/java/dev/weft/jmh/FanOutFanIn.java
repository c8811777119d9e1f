package dev.weft.jmh;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * A fan-out of 10,000 independent no-op tasks (each returns its input, 0 to 9,999), then a fan-in: one
 * more task that takes all their values and sums them, and whose result is awaited. What a wide
 * dependency costs on top of {@link IndependentTasks}: one run that waits for 10,000. An invocation throws
 * if the sum is not 49,995,000.
 *
 * <p>The {@code runner} rows:
 *
 * <ul>
 *   <li>{@code jdk-virtual}: 10,000 {@code Callable}s submitted to {@code
 *       Executors.newVirtualThreadPerTaskExecutor()}, then one more {@code Callable} that calls {@code
 *       get()} on every one of their {@code Future}s in turn and sums the values; the benchmark thread
 *       {@code get()}s its result. The fan-in blocks a virtual thread, as a plain virtual-thread program
 *       does.
 *   <li>{@code jdk-forkjoin}: {@code CompletableFuture.supplyAsync} 10,000 times on a dedicated {@code
 *       ForkJoinPool} with one thread per core, then {@code CompletableFuture.allOf(all).thenApplyAsync}
 *       on the same pool, summing every {@code join()} (all already complete); the benchmark thread
 *       {@code join()}s it. The fan-in holds no thread until its inputs are done, as Weft's does.
 *   <li>{@code weft-sequential}, {@code weft-concurrent}, {@code weft-forkjoin}: one flow run whose body
 *       submits the no-op task 10,000 times, then submits a {@code Task1<List<Integer>, Long>} that sums
 *       its list with {@code TaskFuture.gather(futures)} as its argument, and returns that run's {@code
 *       result()}. The sum run starts when the gather completes, by continuation, so no thread waits for
 *       it. The whole flow run is part of each invocation, as it is for a user (naming, runner start and
 *       shutdown, state tracking of all 10,001 runs); the JDK rows make their executor once per trial.
 *       {@code weft-forkjoin} is {@code new ForkJoinTaskRunner()}: one worker per core with one thread
 *       each, as many threads as {@code jdk-forkjoin}'s pool.
 * </ul>
 *
 * <p>Scores are task runs per second (higher is better): {@code @OperationsPerInvocation(10_001)}, the
 * 10,000 fanned-out tasks plus the one that fans in. A Weft row divided by a JDK row is the share of the
 * bare program's throughput that Weft keeps. Logging is disabled: the jar carries {@code slf4j-nop}.
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes per task run.
 *
 * <pre>{@code
 * jmh/bench FanOutFanIn
 * jmh/bench FanOutFanIn -p runner=jdk-forkjoin,weft-forkjoin -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class FanOutFanIn {
    static final int TASKS = 10_000;

    /** The fanned-out tasks and the one that fans in. */
    static final int RUNS = TASKS + 1;

    private static final long EXPECTED_SUM = (long) TASKS * (TASKS - 1) / 2;

    private static final Task1<Integer, Integer> NOOP = Task.of("noop", (Integer x) -> x);
    private static final Task1<List<Integer>, Long> SUM = Task.of("sum", FanOutFanIn::sum);
    private static final Flow<Long> FAN = Flow.of("fan-out-fan-in", FanOutFanIn::weftFan);

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
            default -> flow = FAN.withTaskRunner(Runners.weft(runner));
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
     * Runs the 10,000 tasks and the one that sums them, once.
     *
     * @return the sum, checked
     * @throws Exception if a task failed
     */
    @Benchmark
    @OperationsPerInvocation(RUNS)
    public long fan() throws Exception {
        long sum =
                switch (runner) {
                    case Runners.JDK_VIRTUAL -> blockingFan(executor);
                    case Runners.JDK_FORKJOIN -> allOfFan(executor);
                    default -> flow.call();
                };
        if (sum != EXPECTED_SUM) {
            throw new IllegalStateException(runner + ": the fan-in summed to " + sum + ", not " + EXPECTED_SUM);
        }
        return sum;
    }

    private static long sum(List<Integer> values) {
        if (values.size() != TASKS) {
            throw new IllegalStateException("the fan-in got " + values.size() + " values, not " + TASKS);
        }
        long sum = 0;
        for (Integer value : values) {
            sum += value;
        }
        return sum;
    }

    private static long weftFan() {
        List<TaskFuture<Integer>> futures = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            futures.add(NOOP.submit(i));
        }
        return SUM.submit(TaskFuture.gather(futures)).result();
    }

    private static long blockingFan(ExecutorService executor) throws Exception {
        List<Future<Integer>> futures = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            Integer input = i;
            futures.add(executor.submit(() -> input));
        }
        return executor.submit(() -> {
                    long sum = 0;
                    for (Future<Integer> future : futures) {
                        sum += future.get();
                    }
                    return sum;
                })
                .get();
    }

    private static long allOfFan(ExecutorService pool) {
        List<CompletableFuture<Integer>> futures = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            Integer input = i;
            futures.add(CompletableFuture.supplyAsync(() -> input, pool));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture<?>[]::new))
                .thenApplyAsync(
                        done -> {
                            long sum = 0;
                            for (CompletableFuture<Integer> future : futures) {
                                sum += future.join();
                            }
                            return sum;
                        },
                        pool)
                .join();
    }
}
