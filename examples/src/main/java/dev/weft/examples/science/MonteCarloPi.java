package dev.weft.examples.science;

import dev.weft.Flow;
import dev.weft.SequentialTaskRunner;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.Task2;
import dev.weft.TaskFuture;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * A Monte Carlo estimate of π with its standard error, as a scientist would run it: independent chunks of
 * samples, each from its own seed, estimated concurrently, then combined, with a convergence table to
 * judge whether there were samples enough.
 *
 * <p>It shows the pieces a real pipeline uses together:
 *
 * <ul>
 *   <li>a task called in place ({@code chunk_seeds}), whose value the flow needs at once;
 *   <li>fan-out: one asynchronous {@code sample_chunk} run per seed, computed on the common {@link
 *       ForkJoinPool} so that CPU-bound work does not occupy the virtual threads of the flow's {@code
 *       ConcurrentTaskRunner};
 *   <li>fan-in: {@link TaskFuture#gather} turns the chunk futures into one future of their values, which
 *       goes straight into {@code summarize};
 *   <li>a subflow on a {@link SequentialTaskRunner}, which prints the convergence table's rows in order.
 * </ul>
 *
 * <p>Every chunk's seed comes from one master seed, so the result is the same on every run and on every
 * machine, however the chunks are scheduled.
 */
public final class MonteCarloPi {
    private MonteCarloPi() {}

    /** The master seed of the whole estimate. */
    static final long SEED = 20_240_611L;

    /** How many independent chunks the samples are split into. */
    static final int CHUNKS = 8;

    /** How many points each chunk draws. */
    static final int SAMPLES_PER_CHUNK = 500_000;

    /**
     * An estimate with its standard error.
     *
     * @param value the mean of the chunks' estimates
     * @param standardError the standard error of that mean
     * @param chunks how many chunks it combines
     */
    record Estimate(double value, double standardError, int chunks) {

        /** Combines the estimates of independent chunks: their mean, and its standard error. */
        static Estimate of(List<Double> chunkEstimates) {
            int n = chunkEstimates.size();
            double mean =
                    chunkEstimates.stream().mapToDouble(Double::doubleValue).sum() / n;
            double squares = chunkEstimates.stream()
                    .mapToDouble(x -> (x - mean) * (x - mean))
                    .sum();
            return new Estimate(mean, Math.sqrt(squares / (n - 1) / n), n);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.5f +/- %.5f", value, standardError);
        }
    }

    /** Derives one seed per chunk from the master seed: the chunks' random streams are independent. */
    static List<Long> seeds(long seed, int chunks) {
        return new SplittableRandom(seed).longs(chunks).boxed().toList();
    }

    /** Draws {@code samples} points in the unit square and returns 4 × the fraction inside the circle. */
    static double quarterCircle(long seed, int samples) {
        SplittableRandom random = new SplittableRandom(seed);
        long inside = 0;
        for (int i = 0; i < samples; i++) {
            double x = random.nextDouble();
            double y = random.nextDouble();
            if (x * x + y * y <= 1.0) {
                inside++;
            }
        }
        return 4.0 * inside / samples;
    }

    /** Prints one row of the convergence table: the estimate from the first {@code chunks} chunks. */
    static void printRow(int chunks, List<Double> chunkEstimates) {
        Estimate estimate = Estimate.of(chunkEstimates.subList(0, chunks));
        System.out.printf(
                Locale.ROOT, "%6d chunks %10d samples  pi = %s%n", chunks, chunks * SAMPLES_PER_CHUNK, estimate);
    }

    // snippet:monte-carlo-pi
    static final Task2<Long, Integer, List<Long>> chunkSeeds = Task.of("chunk_seeds", MonteCarloPi::seeds);

    // CPU-bound: computed on the common pool, while the run waits for it without holding a thread.
    static final Task2<Long, Integer, Double> sampleChunk = Task.async(
            "sample_chunk",
            (Long seed, Integer samples) ->
                    CompletableFuture.supplyAsync(() -> quarterCircle(seed, samples), ForkJoinPool.commonPool()));

    static final Task1<List<Double>, Estimate> summarize = Task.of("summarize", Estimate::of);

    static final Task2<Integer, List<Double>, Void> convergenceRow = Task.of("convergence_row", MonteCarloPi::printRow);

    /** A subflow that prints the estimate after 2, 4, 8... chunks, in that order. */
    static Flow<Void> convergenceTable(List<Double> chunkEstimates) {
        return Flow.of("convergence-table", new SequentialTaskRunner(), () -> {
            for (int chunks = 2; chunks <= chunkEstimates.size(); chunks *= 2) {
                convergenceRow.submit(chunks, chunkEstimates);
            }
        });
    }

    static final Flow<Estimate> monteCarloPi = Flow.of("monte-carlo-pi", () -> {
        List<Long> seeds = chunkSeeds.call(SEED, CHUNKS);

        List<TaskFuture<Double>> chunks = seeds.stream()
                .map(seed -> sampleChunk.submit(seed, SAMPLES_PER_CHUNK))
                .toList();
        TaskFuture<List<Double>> chunkEstimates = TaskFuture.gather(chunks);
        TaskFuture<Estimate> estimate = summarize.submit(chunkEstimates);

        convergenceTable(chunkEstimates.result()).call();
        return estimate.result();
    });
    // end-snippet:monte-carlo-pi

    /**
     * Runs the flow and prints the estimate, and how far it is from π in standard errors.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Estimate estimate = monteCarloPi.call();
        double error = Math.abs(estimate.value() - Math.PI);
        System.out.printf(
                Locale.ROOT,
                "pi = %s from %d samples; off by %.5f, %.1f standard errors%n",
                estimate,
                (long) CHUNKS * SAMPLES_PER_CHUNK,
                error,
                error / estimate.standardError());
    }
}
