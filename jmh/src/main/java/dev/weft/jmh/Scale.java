package dev.weft.jmh;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Millions of no-op runs in one flow run on {@code new ForkJoinTaskRunner()}: how fast they go and how much
 * heap they hold while they wait, in the two shapes a user writes.
 *
 * <ul>
 *   <li>{@code atOnce}: the body submits 1,000,000 runs, keeping every future, then takes every result.
 *       Most runs wait for a thread meanwhile, so the heap holds them all at the peak.
 *   <li>{@code inBatches}: 10,000,000 runs, 100,000 at a time: the body submits a batch, takes its results,
 *       drops its futures and submits the next. The heap holds one batch at most.
 *   <li>{@code pending}: what one waiting run costs, measured alone. A one-thread runner's only slot is
 *       held by a run that waits on a latch; the body submits 1,000,000 runs (all with the same argument,
 *       so that no boxed input is counted), asks the JVM for a collection while every one of them waits,
 *       then opens the latch and takes every result. The heap's growth at that collection, divided by a
 *       million, is the bytes a pending run holds: its run, its place in the runner's queue and the
 *       caller's reference to its future.
 * </ul>
 *
 * <p>Scores are runs per second. Run with the {@link PeakHeap} profiler for the heap:
 *
 * <pre>{@code
 * jmh/bench Scale -prof dev.weft.jmh.PeakHeap
 * }</pre>
 *
 * <p>{@code heap.peak} is the most heap in use after a collection during an iteration (an upper bound of
 * what was reachable), {@code heap.peak.growth} that less the heap in use before the iteration; for {@code
 * pending}, {@code heap.live.growth} is what was reachable at the collection it asks for, less the same.
 * The forked JVM has a fixed 4 GB heap, so that the collector's sizing choices move the numbers less.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Xmn256m"})
public class Scale {
    static final int AT_ONCE = 1_000_000;
    static final int BATCH = 100_000;
    static final int BATCHES = 100;
    static final int IN_BATCHES = BATCH * BATCHES;

    private static final Integer ONE = 1;

    private static final Task1<Integer, Integer> NOOP = Task.of("noop", (Integer x) -> x);
    private static final Task1<CountDownLatch, Void> HOLD = Task.of("hold", (CountDownLatch latch) -> latch.await());

    private static final Flow<Long> AT_ONCE_FLOW =
            Flow.of("scale-at-once", () -> batch(0, AT_ONCE)).withTaskRunner(new ForkJoinTaskRunner());

    private static final Flow<Long> IN_BATCHES_FLOW = Flow.of("scale-in-batches", () -> {
                long sum = 0;
                for (int b = 0; b < BATCHES; b++) {
                    sum += batch(b * BATCH, BATCH);
                }
                return sum;
            })
            .withTaskRunner(new ForkJoinTaskRunner());

    private static final Flow<Long> PENDING_FLOW = Flow.of("scale-pending", Scale::pendingBody)
            .withTaskRunner(
                    ForkJoinTaskRunner.builder().workers(1).threadsPerWorker(1).build());

    /**
     * Submits 1,000,000 runs at once, then takes every result.
     *
     * @return the sum of their results, checked
     */
    @Benchmark
    @OperationsPerInvocation(AT_ONCE)
    public long atOnce() {
        return check(AT_ONCE_FLOW.call(), sumOf(0, AT_ONCE));
    }

    /**
     * Runs 10,000,000 runs in batches of 100,000.
     *
     * @return the sum of their results, checked
     */
    @Benchmark
    @OperationsPerInvocation(IN_BATCHES)
    public long inBatches() {
        return check(IN_BATCHES_FLOW.call(), sumOf(0, IN_BATCHES));
    }

    /**
     * Holds 1,000,000 runs pending while the JVM collects, then lets them run.
     *
     * @return the sum of their results, checked
     */
    @Benchmark
    @OperationsPerInvocation(AT_ONCE)
    public long pending() {
        return check(PENDING_FLOW.call(), AT_ONCE);
    }

    private static long pendingBody() {
        CountDownLatch latch = new CountDownLatch(1);
        TaskFuture<Void> hold = HOLD.submit(latch);
        List<TaskFuture<Integer>> futures = new ArrayList<>(AT_ONCE);
        for (int i = 0; i < AT_ONCE; i++) {
            futures.add(NOOP.submit(ONE));
        }
        System.gc(); // every run waits behind the one that holds the only slot
        latch.countDown();
        hold.result();
        long sum = 0;
        for (TaskFuture<Integer> future : futures) {
            sum += future.result();
        }
        return sum;
    }

    private static long batch(int from, int count) {
        List<TaskFuture<Integer>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            futures.add(NOOP.submit(from + i));
        }
        long sum = 0;
        for (TaskFuture<Integer> future : futures) {
            sum += future.result();
        }
        return sum;
    }

    private static long sumOf(long from, long count) {
        return count * from + count * (count - 1) / 2;
    }

    private static long check(long sum, long expected) {
        if (sum != expected) {
            throw new IllegalStateException("the results sum to " + sum + ", not " + expected);
        }
        return sum;
    }
}
