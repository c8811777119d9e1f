package dev.weft.examples.gpu;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.Task2;
import dev.weft.Task3;
import dev.weft.TaskFuture;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import dev.weft.gpu.Gpu;
import dev.weft.gpu.GpuTaskRunner;
import dev.weft.kernels.Kernels;
import dev.weft.kernels.Philox;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * A flow that prepares its data on the CPU and computes on an OpenCL device, then checks the device
 * against Java: a Monte Carlo estimate of π with Weft's {@code pi} kernel, and a matrix product with its
 * {@code matmul} kernel.
 *
 * <ul>
 *   <li>a subflow on the {@link ForkJoinTaskRunner} makes the two random matrices at once, on the CPU;
 *   <li>the flow's own runner is a {@link GpuTaskRunner}: {@code pi_hits} and {@code multiply} need {@code
 *       GPU=1}, so each has a device to itself while it runs;
 *   <li>while the device works, a second subflow on the CPU computes what it must give: the same hits with
 *       {@link Philox#piHits}, which draws the kernel's random numbers in Java, and the product with a plain
 *       Java loop.
 * </ul>
 *
 * <p>The pi kernel's random numbers depend on nothing but the seed and each point's place, so the device's
 * count must equal Java's exactly, on every device; the product, in floats, must agree within a relative
 * {@value #MATMUL_TOLERANCE}. On PoCL's CPU device it takes about a second, most of it building the two
 * kernels the first time (later starts load them from the program cache on disk).
 */
public final class GpuPipeline {
    private GpuPipeline() {}

    /** The seed of the random matrices and of the pi kernel's Philox key. */
    static final long SEED = 20_240_611L;

    /** The pi kernel's work items, a multiple of {@link #PI_GROUP}: the kernel writes a count for each. */
    static final int ITEMS = 16_384;

    /** The Philox blocks each work item draws, two points each. */
    static final int SAMPLES_PER_ITEM = 64;

    /** The pi kernel's work-group size. */
    static final int PI_GROUP = 64;

    /** The points the pi kernel draws in all. */
    static final long POINTS = 2L * ITEMS * SAMPLES_PER_ITEM;

    /** The matmul kernel's tile: its work-groups are {@code TILE x TILE}. */
    static final int TILE = 16;

    /** The rows of A, none of the sizes a multiple of the tile, so the kernel's edges are used. */
    static final int M = 200;

    /** The columns of A and rows of B. */
    static final int K = 300;

    /** The columns of B. */
    static final int N = 250;

    /** How far the device's product may be from Java's, relative to Java's, element by element. */
    static final double MATMUL_TOLERANCE = 1e-4;

    /** How far the estimate of π may be from {@link Math#PI}: about 9 standard errors of its points. */
    static final double PI_TOLERANCE = 0.01;

    /**
     * A row-major matrix of floats.
     *
     * @param rows its rows
     * @param cols its columns
     * @param values {@code rows * cols} values, row after row
     */
    record Matrix(int rows, int cols, float[] values) {

        /** A matrix of uniform random values in [0, 1), the same for the same seed. */
        static Matrix random(int rows, int cols, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] values = new float[rows * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextFloat();
            }
            return new Matrix(rows, cols, values);
        }

        /** {@code this * b}, a plain triple loop that adds in double. */
        Matrix times(Matrix b) {
            float[] c = new float[rows * b.cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < b.cols; j++) {
                    double sum = 0;
                    for (int p = 0; p < cols; p++) {
                        sum += (double) values[i * cols + p] * b.values[p * b.cols + j];
                    }
                    c[i * b.cols + j] = (float) sum;
                }
            }
            return new Matrix(rows, b.cols, c);
        }

        /** The largest difference of an element from {@code expected}'s, relative to {@code expected}'s (if not 0). */
        double largestRelativeDifference(Matrix expected) {
            double largest = 0;
            for (int i = 0; i < values.length; i++) {
                double difference = Math.abs(values[i] - expected.values[i]);
                double scale = Math.abs(expected.values[i]);
                double relative = scale == 0 ? difference : difference / scale;
                largest = Math.max(largest, relative);
            }
            return largest;
        }
    }

    /**
     * What the CPU computed for the device's results to match.
     *
     * @param hits the pi kernel's count, by {@link Philox#piHits}
     * @param product {@code A * B}, by a Java loop
     */
    record Expected(long hits, Matrix product) {}

    /**
     * The device's results, against Java's.
     *
     * @param hits the points inside the quarter circle, counted on the device
     * @param expectedHits the same, counted in Java
     * @param largestRelativeDifference of the device's product from Java's
     */
    record Checks(long hits, long expectedHits, double largestRelativeDifference) {

        static Checks of(long hits, Matrix product, Expected expected) {
            return new Checks(hits, expected.hits(), product.largestRelativeDifference(expected.product()));
        }

        /** The estimate of π from the device's count. */
        double pi() {
            return 4.0 * hits / POINTS;
        }

        /** The standard error of that estimate: of 4 times a fraction of {@link #POINTS} independent points. */
        double standardError() {
            double inside = (double) hits / POINTS;
            return 4 * Math.sqrt(inside * (1 - inside) / POINTS);
        }

        /** Whether the device's count is Java's, its estimate near π and its product near Java's. */
        boolean passed() {
            return hits == expectedHits
                    && Math.abs(pi() - Math.PI) < PI_TOLERANCE
                    && largestRelativeDifference <= MATMUL_TOLERANCE;
        }
    }

    private static long roundUp(int size, int multiple) {
        return (long) (size + multiple - 1) / multiple * multiple;
    }

    // snippet:gpu-tasks
    /** On the device: Monte Carlo pi with Weft's pi kernel; each work item counts its points inside. */
    static final Task1<Long, Long> piHits = Task.of("pi_hits", (Long seed) -> {
                Gpu gpu = Gpu.current();
                System.out.println("pi_hits runs on " + gpu.device().describe());
                cl_kernel pi = gpu.kernel(Kernels.PI);
                cl_mem hits = gpu.buffer(new int[ITEMS]);
                gpu.run(pi, ITEMS, PI_GROUP, seed.intValue(), (int) (seed >>> 32), SAMPLES_PER_ITEM, hits);
                int[] perItem = new int[ITEMS];
                gpu.read(hits, perItem);
                return Arrays.stream(perItem).asLongStream().sum(); // its kernel and buffer are released now
            })
            .withResources(Map.of("GPU", 1));

    /** On the device: C = A * B with Weft's matmul kernel, in tiles of 16 x 16. */
    static final Task2<Matrix, Matrix, Matrix> multiply = Task.of("multiply", (Matrix a, Matrix b) -> {
                Gpu gpu = Gpu.current();
                System.out.println("multiply runs on " + gpu.device().describe());
                cl_kernel matmul = gpu.kernel(Kernels.MATMUL);
                cl_mem as = gpu.buffer(a.values());
                cl_mem bs = gpu.buffer(b.values());
                cl_mem c = gpu.buffer((long) Float.BYTES * a.rows() * b.cols());
                long[] global = {roundUp(b.cols(), TILE), roundUp(a.rows(), TILE)}; // columns, then rows
                gpu.run(matmul, global, new long[] {TILE, TILE}, as, bs, c, a.rows(), b.cols(), a.cols());
                float[] product = new float[a.rows() * b.cols()];
                gpu.read(c, product);
                return new Matrix(a.rows(), b.cols(), product);
            })
            .withResources(Map.of("GPU", 1));
    // end-snippet:gpu-tasks

    // snippet:gpu-pipeline
    static final Task3<Integer, Integer, Long, Matrix> randomMatrix = Task.of("random_matrix", Matrix::random);

    static final Task1<Long, Long> piHitsInJava =
            Task.of("pi_hits_in_java", (Long seed) -> Philox.piHits(seed, ITEMS, SAMPLES_PER_ITEM));

    static final Task2<Matrix, Matrix, Matrix> multiplyInJava = Task.of("multiply_in_java", Matrix::times);

    /** On the CPU: a subflow on the fork-join runner makes A and B at once. */
    static final Flow<List<Matrix>> prepare = Flow.of("prepare", new ForkJoinTaskRunner(), () -> {
        TaskFuture<Matrix> a = randomMatrix.submit(M, K, SEED);
        TaskFuture<Matrix> b = randomMatrix.submit(K, N, SEED + 1);
        return TaskFuture.gather(a, b).result();
    });

    /** On the CPU again: what the device must give, computed while it works. */
    static Flow<Expected> expected(Matrix a, Matrix b) {
        return Flow.of("expected", new ForkJoinTaskRunner(), () -> {
            TaskFuture<Long> hits = piHitsInJava.submit(SEED);
            TaskFuture<Matrix> product = multiplyInJava.submit(a, b);
            return new Expected(hits.result(), product.result());
        });
    }

    static final Flow<Checks> gpuPipeline = Flow.of("gpu-pipeline", new GpuTaskRunner(), () -> {
        List<Matrix> ab = prepare.call(); // on the CPU

        TaskFuture<Long> hits = piHits.submit(SEED); // on the device, each with GPU=1
        TaskFuture<Matrix> product = multiply.submit(ab.get(0), ab.get(1));

        Expected expected = expected(ab.get(0), ab.get(1)).call(); // on the CPU, while the device works
        return Checks.of(hits.result(), product.result(), expected);
    });
    // end-snippet:gpu-pipeline

    /**
     * Runs the flow and prints its checks.
     *
     * @param args ignored
     * @throws IllegalStateException if the device's results differ from Java's
     */
    public static void main(String[] args) {
        Checks checks = gpuPipeline.call();
        System.out.printf(
                Locale.ROOT,
                "pi: %d of %d points inside on the device, %d by Philox.piHits in Java: %s%n",
                checks.hits(),
                POINTS,
                checks.expectedHits(),
                checks.hits() == checks.expectedHits() ? "equal" : "DIFFERENT");
        System.out.printf(
                Locale.ROOT,
                "pi = %.5f +/- %.5f, off by %.5f (at most %s)%n",
                checks.pi(),
                checks.standardError(),
                Math.abs(checks.pi() - Math.PI),
                PI_TOLERANCE);
        System.out.printf(
                Locale.ROOT,
                "C = A * B, %d x %d times %d x %d: largest relative difference from Java %.1e (at most %.0e)%n",
                M,
                K,
                K,
                N,
                checks.largestRelativeDifference(),
                MATMUL_TOLERANCE);
        if (!checks.passed()) {
            throw new IllegalStateException("The device's results differ from Java's: " + checks);
        }
    }
}
