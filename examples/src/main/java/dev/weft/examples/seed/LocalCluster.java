package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * Twin of "Running tasks on Dask", {@code cluster_kwargs={"n_workers": 4, "threads_per_worker": 2}}: a
 * local cluster of 4 workers with 2 threads each, so up to 8 calls run at once. The flow counts the primes
 * below 2 million in 16 slices, one call per slice, and adds up their counts.
 */
public final class LocalCluster {
    private LocalCluster() {}

    static final int LIMIT = 2_000_000;
    static final int SLICES = 16;

    // snippet:local-cluster
    // Use 4 workers, each with 2 threads
    static final ForkJoinTaskRunner cluster =
            ForkJoinTaskRunner.builder().workers(4).threadsPerWorker(2).build();

    static final Task1<Integer, Long> countPrimes = Task.of("count_primes", LocalCluster::primesInSlice);

    static final Flow<Long> primes = Flow.of("count-primes", cluster, () -> {
        List<TaskFuture<Long>> counts = IntStream.range(0, SLICES)
                .mapToObj(slice -> countPrimes.submit(slice))
                .toList();
        long total = TaskFuture.gather(counts).result().stream()
                .mapToLong(Long::longValue)
                .sum();
        System.out.println(total + " primes below " + LIMIT);
        return total;
    });
    // end-snippet:local-cluster

    /** Counts the primes of one slice of the numbers below {@link #LIMIT}, by trial division. */
    static long primesInSlice(int slice) {
        return LongStream.range((long) slice * LIMIT / SLICES, (long) (slice + 1) * LIMIT / SLICES)
                .filter(LocalCluster::isPrime)
                .count();
    }

    static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        for (long d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        primes.call();
    }
}
