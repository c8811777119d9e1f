package dev.weft.jmh;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
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
 * A chain of 10,000 tasks, each taking the previous one's future and adding one to its value: what a
 * dependency costs, since no two tasks can run at once. The first task gets 0, so the last one's value
 * is 10,000; an invocation throws if it is not.
 *
 * <p>The {@code runner} rows:
 *
 * <ul>
 *   <li>{@code jdk-virtual}: each task is a {@code Callable} on {@code
 *       Executors.newVirtualThreadPerTaskExecutor()} that blocks in {@code get()} on the previous task's
 *       {@code Future}, as a plain virtual-thread program does; up to 10,000 virtual threads are parked
 *       at once.
 *   <li>{@code jdk-forkjoin}: {@code CompletableFuture.supplyAsync} for the first task, then {@code
 *       thenApplyAsync} on the previous stage for each next one, all on a dedicated {@code ForkJoinPool}
 *       with one thread per core. Stages are added while the earlier ones run, as Weft's flow body
 *       submits while its runs run: a stage added to a completed one is submitted to the pool from the
 *       benchmark thread, one added in time runs as a continuation from a worker.
 *   <li>{@code jdk-cf-chain}: the whole 10,000-stage {@code thenApplyAsync} chain is built first on a
 *       not yet completed {@code CompletableFuture}, on the same kind of pool, and only then is its head
 *       completed. So it measures the handoff alone: each stage's completion hands the next stage to the
 *       pool (a worker pushes it on its own queue and takes it back), with no building racing the
 *       running and no submission from outside the pool. The lower bound for a chain on a pool.
 *   <li>{@code weft-sequential}, {@code weft-concurrent}, {@code weft-forkjoin}: one flow run whose
 *       body submits the task 10,000 times, each time with the previous future, and returns the last
 *       {@code result()}. Weft starts a run when its input completes, by continuation, so no thread
 *       waits. The whole flow run is part of each invocation, as it is for a user (naming, runner start
 *       and shutdown, state tracking of every run); the JDK rows make their executor once per trial.
 *       {@code weft-forkjoin} is {@code new ForkJoinTaskRunner()}: one worker per core with one thread
 *       each, the same number of threads as the JDK pools; each run is placed when its input completes,
 *       so it is the row to read against {@code jdk-cf-chain}.
 * </ul>
 *
 * <p>Scores are tasks per second (higher is better); a Weft row divided by a JDK row is the share of the
 * bare program's throughput that Weft keeps. Logging is disabled: the jar carries {@code slf4j-nop}.
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes per task.
 *
 * <pre>{@code
 * jmh/bench DependencyChain
 * jmh/bench DependencyChain -p runner=jdk-cf-chain,weft-concurrent -prof gc
 * jmh/bench DependencyChain -p runner=jdk-cf-chain,weft-forkjoin -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class DependencyChain {
    static final int TASKS = 10_000;

    private static final Task1<Integer, Integer> INCREMENT = Task.of("increment", (Integer x) -> x + 1);
    private static final Flow<Integer> CHAIN = Flow.of("dependency-chain", DependencyChain::weftChain);

    /** The row: a Weft runner, or the bare-JDK baseline it is compared with. */
    @Param({
        Runners.JDK_VIRTUAL,
        Runners.JDK_FORKJOIN,
        Runners.JDK_CF_CHAIN,
        "weft-sequential",
        "weft-concurrent",
        Runners.WEFT_FORKJOIN
    })
    public String runner;

    /** Where the run history goes: {@code off} (as the other benchmarks), {@code memory} or {@code store}. */
    @Param({"off"})
    public String history;

    /** Whether the counters file that {@code weft stat} reads is kept: {@code on} (the default) or {@code off}. */
    @Param({"on"})
    public String counters;

    private ExecutorService executor;
    private Flow<Integer> flow;

    /** Makes the row's executor, or the flow with the row's runner. */
    @Setup(Level.Trial)
    public void setUp() {
        Runners.observe(history, counters);
        switch (runner) {
            case Runners.JDK_VIRTUAL, Runners.JDK_FORKJOIN, Runners.JDK_CF_CHAIN -> executor = Runners.jdk(runner);
            default -> flow = CHAIN.withTaskRunner(Runners.weft(runner));
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
     * Runs the 10,000-task chain once.
     *
     * @return the last task's value, checked
     * @throws Exception if a task failed
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int chain() throws Exception {
        int last =
                switch (runner) {
                    case Runners.JDK_VIRTUAL -> blockingChain(executor);
                    case Runners.JDK_FORKJOIN -> growingChain(executor);
                    case Runners.JDK_CF_CHAIN -> prebuiltChain(executor);
                    default -> flow.call();
                };
        if (last != TASKS) {
            throw new IllegalStateException(runner + ": the chain ended with " + last + ", not " + TASKS);
        }
        return last;
    }

    private static int increment(int x) {
        return x + 1;
    }

    private static int weftChain() {
        TaskFuture<Integer> last = INCREMENT.submit(0);
        for (int i = 1; i < TASKS; i++) {
            last = INCREMENT.submit(last);
        }
        return last.result();
    }

    private static int blockingChain(ExecutorService executor) throws Exception {
        Future<Integer> last = executor.submit(() -> increment(0));
        for (int i = 1; i < TASKS; i++) {
            Future<Integer> previous = last;
            last = executor.submit(() -> increment(previous.get()));
        }
        return last.get();
    }

    private static int growingChain(ExecutorService pool) {
        CompletableFuture<Integer> last = CompletableFuture.supplyAsync(() -> increment(0), pool);
        for (int i = 1; i < TASKS; i++) {
            last = last.thenApplyAsync(DependencyChain::increment, pool);
        }
        return last.join();
    }

    private static int prebuiltChain(ExecutorService pool) {
        CompletableFuture<Integer> head = new CompletableFuture<>();
        CompletableFuture<Integer> last = head;
        for (int i = 0; i < TASKS; i++) {
            last = last.thenApplyAsync(DependencyChain::increment, pool);
        }
        head.complete(0);
        return last.join();
    }
}
