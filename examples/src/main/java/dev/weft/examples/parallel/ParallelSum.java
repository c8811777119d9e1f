package dev.weft.examples.parallel;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task2;
import dev.weft.TaskFuture;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import java.util.stream.LongStream;

/**
 * A recursive fan-out on a {@link ForkJoinTaskRunner}: {@code range_sum} sums a small range itself and
 * splits a large one into two halves, submitted as calls of their own, then waits for their results. A
 * call that waits for futures gives its thread slot back while it waits, so 15 calls that wait on each
 * other run on a cluster of 2 single-threaded workers, or of one, without deadlock.
 */
public final class ParallelSum {
    private ParallelSum() {}

    /** The sum is of 0 to N - 1. */
    static final long N = 80_000_000L;

    /** A range of at most this many numbers is summed in one call: 8 leaves, 15 calls in all. */
    static final long THRESHOLD = N / 8;

    // snippet:recursive-fan-out
    static final Task2<Long, Long, Long> rangeSum = Task.of("range_sum", ParallelSum::sumRange);

    static long sumRange(long from, long to) {
        if (to - from <= THRESHOLD) {
            return LongStream.range(from, to).sum();
        }
        long middle = (from + to) >>> 1;
        TaskFuture<Long> left = rangeSum.submit(from, middle);
        TaskFuture<Long> right = rangeSum.submit(middle, to);
        // Waiting gives this call's slot back, so its children can run even on a single thread
        return left.result() + right.result();
    }

    static final Flow<Long> parallelSum =
            Flow.of("parallel-sum", ForkJoinTaskRunner.builder().workers(2).build(), () -> {
                long sum = rangeSum.submit(0L, N).result();
                System.out.println("0 + 1 + ... + " + (N - 1) + " = " + sum);
                return sum;
            });
    // end-snippet:recursive-fan-out

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        parallelSum.call();
    }
}
