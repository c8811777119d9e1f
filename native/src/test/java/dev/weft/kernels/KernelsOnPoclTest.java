package dev.weft.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.abort;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jocl.CLException;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Builds each kernel from {@link Kernels#source(String)} and checks what it computes against plain Java, on a
 * GPU where there is one and else on any OpenCL device (PoCL's CPU device on a machine without a GPU).
 *
 * <p>Without OpenCL the tests are skipped, except where {@code CI} is {@code true}: CI installs PoCL, so there
 * a missing platform is a broken build, not a reason to skip.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class KernelsOnPoclTest {
    static final String NO_OPENCL = "no OpenCL platform: install pocl-opencl-icd and ocl-icd-libopencl1 (Debian)";

    // the work-group size: a power of two, as sum needs, that GPUs and PoCL accept; matmul's TILE x TILE is the same
    private static final int GROUP_SIZE = 256;
    private static final int TILE = 16;

    private static OpenClSession.Device device;
    private static Throwable whyNoDevice;

    @BeforeAll
    static void findDevice() {
        try {
            device = OpenClSession.preferredDevice().orElse(null);
        } catch (LinkageError | CLException e) {
            // LinkageError: JOCL cannot load libOpenCL; CLException: the library finds no installable client driver
            whyNoDevice = e;
        }
    }

    // per test rather than in findDevice, so that each test reports itself skipped, with the reason
    @BeforeEach
    void requireDevice() {
        if (device != null) {
            return;
        }
        String message = NO_OPENCL;
        if (whyNoDevice instanceof LinkageError) {
            message += "; JOCL loads libOpenCL.so, which Debian ships in ocl-icd-opencl-dev";
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message, whyNoDevice);
        }
        abort(message);
    }

    @Test
    void shouldComputeSaxpyForEveryElementAndLeaveTheRoundedUpTailAlone() {
        int n = 1_000_003;
        int padded = roundUp(n, GROUP_SIZE);
        float a = 1.75f;
        Random random = new Random(1);
        float[] x = randomFloats(random, n);
        float[] y = new float[padded];
        for (int i = 0; i < padded; i++) {
            // past n a sentinel that the items of the rounded-up tail must not touch
            y[i] = i < n ? random.nextFloat() : -1.0f;
        }
        float[] result = new float[padded];

        try (OpenClSession cl = OpenClSession.open(device)) {
            cl_kernel kernel = cl.kernel(Kernels.SAXPY);
            cl_mem xBuffer = cl.input(x);
            cl_mem yBuffer = cl.inputOutput(y);
            OpenClSession.setArgs(kernel, a, xBuffer, yBuffer, n);
            cl.run(kernel, new long[] {padded}, new long[] {GROUP_SIZE});
            cl.read(yBuffer, result);
        }

        for (int i = 0; i < n; i++) {
            // OpenCL may contract a * x + y into one fma, so either rounding is right, and nothing else
            float separate = a * x[i] + y[i];
            float fused = Math.fma(a, x[i], y[i]);
            if (result[i] != separate && result[i] != fused) {
                assertThat(result[i]).as("y[%d] on %s", i, device.name()).isIn(separate, fused);
            }
        }
        for (int i = n; i < padded; i++) {
            assertThat(result[i]).as("y[%d], past n", i).isEqualTo(-1.0f);
        }
    }

    @Test
    void shouldSumFloatsToOnePartialPerGroupThatAddUpToTheTotal() {
        int n = 1_000_003;
        int groups = roundUp(n, GROUP_SIZE) / GROUP_SIZE;
        float[] values = randomFloats(new Random(2), n);
        float[] partials = new float[groups];

        try (OpenClSession cl = OpenClSession.open(device)) {
            cl_kernel kernel = cl.kernel(Kernels.SUM);
            cl_mem in = cl.input(values);
            cl_mem partial = cl.output((long) Sizeof.cl_float * groups);
            OpenClSession.setArgs(kernel, in, partial, OpenClSession.local((long) Sizeof.cl_float * GROUP_SIZE), n);
            cl.run(kernel, new long[] {(long) groups * GROUP_SIZE}, new long[] {GROUP_SIZE});
            cl.read(partial, partials);
        }

        double expected = 0;
        for (float value : values) {
            expected += value;
        }
        double total = 0;
        for (float partial : partials) {
            total += partial;
        }
        assertThat(total).as("sum on %s", device.name()).isCloseTo(expected, within(1e-5 * expected));
    }

    @Test
    void shouldMultiplyMatricesWhoseSizesAreNotMultiplesOfTheTile() {
        int m = 100;
        int k = 75;
        int n = 130;
        Random random = new Random(3);
        float[] a = randomFloats(random, m * k);
        float[] b = randomFloats(random, k * n);
        float[] c = new float[m * n];

        try (OpenClSession cl = OpenClSession.open(device)) {
            cl_kernel kernel = cl.kernel(Kernels.MATMUL);
            cl_mem aBuffer = cl.input(a);
            cl_mem bBuffer = cl.input(b);
            cl_mem cBuffer = cl.output((long) Sizeof.cl_float * c.length);
            OpenClSession.setArgs(kernel, aBuffer, bBuffer, cBuffer, m, n, k);
            // dimension 0 runs over C's columns, dimension 1 over its rows
            cl.run(kernel, new long[] {roundUp(n, TILE), roundUp(m, TILE)}, new long[] {TILE, TILE});
            cl.read(cBuffer, c);
        }

        for (int row = 0; row < m; row++) {
            for (int col = 0; col < n; col++) {
                double expected = 0;
                for (int i = 0; i < k; i++) {
                    expected += (double) a[row * k + i] * b[i * n + col];
                }
                // the inputs are in [0, 1), so no entry is near zero and a relative bound holds everywhere
                assertThat((double) c[row * n + col])
                        .as("c[%d][%d] on %s", row, col, device.name())
                        .isCloseTo(expected, within(1e-4 * expected));
            }
        }
    }

    @Test
    void shouldCountExactlyThePiHitsThatPhiloxComputesInJava() {
        int items = 4096;
        int samplesPerItem = 64;
        // both halves non-zero and the top bit set, so a swapped or sign-extended seed word shows
        long seed = 0x9E3779B97F4A7C15L;
        int[] hits = new int[items];

        try (OpenClSession cl = OpenClSession.open(device)) {
            cl_kernel kernel = cl.kernel(Kernels.PI);
            cl_mem hitsBuffer = cl.output((long) Sizeof.cl_uint * items);
            // the uint arguments take the bits of Java ints
            OpenClSession.setArgs(kernel, (int) seed, (int) (seed >>> 32), samplesPerItem, hitsBuffer);
            cl.run(kernel, new long[] {items}, null);
            cl.read(hitsBuffer, hits);
        }

        long total = 0;
        for (int hit : hits) {
            total += Integer.toUnsignedLong(hit);
        }
        assertThat(total).as("hits on %s", device.name()).isEqualTo(Philox.piHits(seed, items, samplesPerItem));
        double samples = 2.0 * items * samplesPerItem;
        assertThat(4 * total / samples).isCloseTo(Math.PI, within(0.01));
    }

    private static float[] randomFloats(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextFloat();
        }
        return values;
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
