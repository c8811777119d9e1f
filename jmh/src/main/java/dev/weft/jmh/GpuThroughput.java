package dev.weft.jmh;

import static dev.weft.jmh.OpenClRows.APARAPI;
import static dev.weft.jmh.OpenClRows.JOCL;
import static dev.weft.jmh.OpenClRows.WEFT_APARAPI;
import static dev.weft.jmh.OpenClRows.WEFT_GPU;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clSetKernelArg;

import com.aparapi.Kernel;
import com.aparapi.device.OpenCLDevice;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.gpu.Gpu;
import dev.weft.jmh.OpenClRows.DeviceFlow;
import dev.weft.jmh.OpenClRows.RawOpenCl;
import dev.weft.jmh.OpenClRows.ResidentBuffers;
import dev.weft.jmh.OpenClRows.TemporaryHome;
import dev.weft.kernels.Kernels;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Kernels that do real work, one call at a time: Weft's {@code saxpy} over 16M floats and its tiled {@code
 * matmul} of two 512 x 512 matrices, called through raw JOCL and through a Weft task, and, beside them, the
 * same arithmetic written in Java as an Aparapi kernel, run by a Weft task and by Aparapi alone. Scores are
 * milliseconds per call (average time, lower is better); the ratio is {@code jocl / weft-gpu} of the times,
 * which is {@code weft-gpu / jocl} of the rates.
 *
 * <ul>
 *   <li>{@code saxpy}: {@code y = a * x + y} over n = 16,777,216 floats ({@link Kernels#SAXPY}, the
 *       work-group size left to the driver), {@code x} and {@code y} on the device for the whole trial in both
 *       rows (for Weft, buffers a setup task made on the runner's context, as in {@link GpuDispatch}); a call
 *       is one kernel run, waited for. Bandwidth: {@code 3 * 4 * n} bytes per call (x and y read, y written:
 *       201,326,592 bytes) over the time of a call.
 *   <li>{@code saxpyCopied}: the same from and to host arrays, every call. {@code jocl} and {@code weft-gpu}
 *       make two buffers holding copies of the arrays ({@code CL_MEM_COPY_HOST_PTR}, which Weft's {@code
 *       gpu.buffer(x)} uses), run the kernel, read {@code y} back into its array and release both buffers.
 *       {@code weft-aparapi} runs {@code Gpu.current().execute(kernel, n)} on a new Java kernel whose fields
 *       are the arrays, {@code aparapi} the same kernel object again and again on the same device, without
 *       Weft. Aparapi moves the arrays itself: on a device that shares the host's memory, as PoCL's CPU device
 *       does, it hands the device the arrays' own memory ({@code CL_MEM_USE_HOST_PTR}) and nothing is copied;
 *       on a GPU it copies them. The bytes counted are the kernel's {@code 3 * 4 * n} in every row.
 *   <li>{@code matmul}: {@code C = A * B}, n = 512, {@link Kernels#MATMUL} in tiles of 16 x 16 (global {@code
 *       {n, n}}, local {@code {16, 16}}), A, B and C on the device in {@code jocl} and {@code weft-gpu}. {@code
 *       weft-aparapi} and {@code aparapi}: a Java kernel with one work item per element of C ({@code
 *       Gpu.execute} takes one dimension, so no tiles), whose arrays Aparapi moves as above. GFLOP/s: {@code 2 *
 *       n^3} (268,435,456 operations) over the time of a call.
 * </ul>
 *
 * <p>Every Weft call is a task run submitted with {@code submit(...).result()} into one flow run on {@code new
 * GpuTaskRunner()}, held open for the trial; it takes its kernel with {@code gpu.kernel(...)} (made for the
 * call, released when it ends) and runs it with {@code gpu.run}. The raw rows make their context, queue and
 * kernel once. A Weft call makes a new Aparapi kernel object each time because Weft disposes of the kernel
 * when the call ends. The trial ends with a check of the results: y holds the number of calls (x is all 1, a
 * is 1, y starts at 0), and three elements of C equal what Java computes.
 *
 * <pre>{@code
 * jmh/bench GpuThroughput
 * jmh/bench GpuThroughput.matmul -p runner=jocl,weft-gpu
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = OpenClRows.NATIVE_ACCESS)
public class GpuThroughput {
    /** Floats of saxpy's x and y: 16M. */
    static final int SAXPY_N = 1 << 24;

    /** Rows and columns of the square matrices. */
    static final int MATMUL_N = 512;

    /** The matmul kernel's tile: its work-groups are TILE x TILE. */
    static final int TILE = 16;

    private static final float A = 1.0f;

    /** Saxpy's buffers on the device, and their length. */
    record Vectors(cl_mem x, cl_mem y, int n) {}

    /** Matmul's buffers on the device, and the matrices' size. */
    record Matrices(cl_mem a, cl_mem b, cl_mem c, int n) {}

    /** Saxpy's host arrays, for the rows that move them each call. */
    record HostVectors(float[] x, float[] y) {}

    /** Matmul's host arrays, for the Aparapi rows. */
    record HostMatrices(float[] a, float[] b, float[] c, int n) {}

    /** {@code weft-gpu}, {@code saxpy}: one kernel run on the device-resident vectors. */
    static final Task1<Vectors, Void> SAXPY = Task.of("saxpy", (Vectors v) -> {
        Gpu gpu = Gpu.current();
        cl_kernel saxpy = gpu.kernel(Kernels.SAXPY);
        gpu.run(saxpy, new long[] {v.n()}, null, A, v.x(), v.y(), v.n());
    });

    /** {@code weft-gpu}, {@code saxpyCopied}: the vectors to the device, the kernel, y back. */
    static final Task1<HostVectors, Void> SAXPY_COPIED = Task.of("saxpy_copied", (HostVectors v) -> {
        Gpu gpu = Gpu.current();
        cl_kernel saxpy = gpu.kernel(Kernels.SAXPY);
        cl_mem x = gpu.buffer(v.x());
        cl_mem y = gpu.buffer(v.y());
        gpu.run(saxpy, new long[] {v.x().length}, null, A, x, y, v.x().length);
        gpu.read(y, v.y());
    });

    /**
     * {@code weft-aparapi}, {@code saxpyCopied}: the Java kernel on the call's device, a new kernel object per
     * call, since Weft disposes of it when the call ends.
     */
    static final Task1<HostVectors, Void> SAXPY_APARAPI = Task.of(
            "saxpy_aparapi", (HostVectors v) -> Gpu.current().execute(new SaxpyKernel(A, v.x(), v.y()), v.x().length));

    /** {@code weft-gpu}, {@code matmul}: one kernel run on the device-resident matrices. */
    static final Task1<Matrices, Void> MATMUL = Task.of("matmul", (Matrices m) -> {
        Gpu gpu = Gpu.current();
        cl_kernel matmul = gpu.kernel(Kernels.MATMUL);
        gpu.run(matmul, new long[] {m.n(), m.n()}, new long[] {TILE, TILE}, m.a(), m.b(), m.c(), m.n(), m.n(), m.n());
    });

    /** {@code weft-aparapi}, {@code matmul}: the Java kernel on the call's device, a new kernel object per call. */
    static final Task1<HostMatrices, Void> MATMUL_APARAPI =
            Task.of("matmul_aparapi", (HostMatrices m) -> Gpu.current().execute(new MatmulKernel(m), m.n() * m.n()));

    /** In a setup task: buffers holding copies of these arrays, on the device, kept after the call. */
    static final Task1<float[][], cl_mem[]> KEEP = Task.of("keep", (float[][] arrays) -> {
        cl_mem[] kept = new cl_mem[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            kept[i] = ResidentBuffers.kept(arrays[i]);
        }
        return kept;
    });

    /** In a task: a buffer read back from the device into {@code into}. */
    static final Task1<Read, float[]> READ = Task.of("read", (Read r) -> {
        Gpu.current().read(r.buffer(), r.into());
        return r.into();
    });

    /** What {@link #READ} reads, and where to. */
    record Read(cl_mem buffer, float[] into) {}

    /** {@code y = a * x + y} in Java, for Aparapi: one work item per element. */
    static final class SaxpyKernel extends Kernel {
        final float a;
        final float[] x;
        final float[] y;

        SaxpyKernel(float a, float[] x, float[] y) {
            this.a = a;
            this.x = x;
            this.y = y;
        }

        /** One element of y. */
        @Override
        public void run() {
            int i = getGlobalId();
            y[i] = a * x[i] + y[i];
        }
    }

    /** {@code C = A * B} in Java, for Aparapi: one work item per element of C, no tiles. */
    static final class MatmulKernel extends Kernel {
        final float[] a;
        final float[] b;
        final float[] c;
        final int n;

        MatmulKernel(HostMatrices m) {
            this.a = m.a();
            this.b = m.b();
            this.c = m.c();
            this.n = m.n();
        }

        /** One element of C: a row of A times a column of B. */
        @Override
        public void run() {
            int i = getGlobalId();
            int row = i / n;
            int col = i % n;
            float acc = 0.0f;
            for (int t = 0; t < n; t++) {
                acc += a[row * n + t] * b[t * n + col];
            }
            c[i] = acc;
        }
    }

    /** Saxpy's rows with the vectors on the device. */
    @State(Scope.Benchmark)
    public static class Saxpy {
        /** The row: raw JOCL, or a Weft task. */
        @Param({JOCL, WEFT_GPU})
        public String runner;

        private TemporaryHome home;
        private RawOpenCl raw;
        private cl_kernel rawKernel;
        private DeviceFlow flow;
        private Vectors vectors;
        private long calls;

        /** Makes the row's context (Weft: starts its flow run) and the vectors on the device. */
        @Setup(Level.Trial)
        public void setUp() {
            home = new TemporaryHome();
            calls = 0;
            float[] x = ones(SAXPY_N);
            float[] y = new float[SAXPY_N];
            switch (runner) {
                case JOCL -> {
                    raw = new RawOpenCl();
                    rawKernel = raw.kernel(Kernels.source(Kernels.SAXPY), Kernels.SAXPY);
                    vectors = new Vectors(raw.buffer(x), raw.buffer(y), SAXPY_N);
                }
                case WEFT_GPU -> {
                    flow = new DeviceFlow("gpu-saxpy");
                    cl_mem[] kept =
                            flow.call(() -> KEEP.submit(new float[][] {x, y}).result());
                    vectors = new Vectors(kept[0], kept[1], SAXPY_N);
                }
                default -> throw OpenClRows.unknown(runner, "GpuThroughput.saxpy", List.of(JOCL, WEFT_GPU));
            }
        }

        /** One saxpy call, waited for. */
        void call() {
            if (raw != null) {
                rawSaxpy(raw, rawKernel, vectors.x(), vectors.y(), vectors.n());
            } else {
                flow.call(() -> SAXPY.submit(vectors).result());
            }
            calls++;
        }

        /** Checks that y holds the number of calls, then releases everything. */
        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                float[] y = new float[SAXPY_N];
                if (raw != null) {
                    raw.read(vectors.y(), y);
                } else {
                    flow.call(() -> READ.submit(new Read(vectors.y(), y)).result());
                }
                OpenClRows.checkAll(runner + ": y after " + calls + " calls", y, calls);
            } finally {
                if (raw != null) {
                    raw.close();
                } else {
                    ResidentBuffers.release(vectors.x(), vectors.y());
                    flow.close();
                }
                home.close();
            }
        }
    }

    /** Saxpy's rows with the vectors moved to the device and back every call. */
    @State(Scope.Benchmark)
    public static class SaxpyCopied {
        /** The row: raw JOCL, a Weft task, an Aparapi kernel in a Weft task, or Aparapi alone. */
        @Param({JOCL, WEFT_GPU, WEFT_APARAPI, APARAPI})
        public String runner;

        private TemporaryHome home;
        private RawOpenCl raw;
        private cl_kernel rawKernel;
        private DeviceFlow flow;
        private HostVectors host;
        private OpenCLDevice aparapiDevice;
        private SaxpyKernel aparapi;
        private long calls;

        /** Makes the row's context (Weft: starts its flow run) and the host arrays. */
        @Setup(Level.Trial)
        public void setUp() {
            home = new TemporaryHome();
            calls = 0;
            host = new HostVectors(ones(SAXPY_N), new float[SAXPY_N]);
            switch (runner) {
                case JOCL -> {
                    raw = new RawOpenCl();
                    rawKernel = raw.kernel(Kernels.source(Kernels.SAXPY), Kernels.SAXPY);
                }
                case WEFT_GPU -> flow = new DeviceFlow("gpu-saxpy-copied");
                case WEFT_APARAPI -> flow = new DeviceFlow("gpu-saxpy-aparapi");
                case APARAPI -> {
                    aparapiDevice = OpenClRows.aparapiDevice();
                    aparapi = new SaxpyKernel(A, host.x(), host.y());
                }
                default ->
                    throw OpenClRows.unknown(
                            runner, "GpuThroughput.saxpyCopied", List.of(JOCL, WEFT_GPU, WEFT_APARAPI, APARAPI));
            }
        }

        /** One saxpy call, the arrays moved as the row moves them, waited for. */
        void call() {
            switch (runner) {
                case JOCL -> {
                    cl_mem x = raw.bufferForOneCall(host.x());
                    cl_mem y = raw.bufferForOneCall(host.y());
                    try {
                        rawSaxpy(raw, rawKernel, x, y, SAXPY_N);
                        raw.read(y, host.y());
                    } finally {
                        CL.clReleaseMemObject(x);
                        CL.clReleaseMemObject(y);
                    }
                }
                case WEFT_GPU -> flow.call(() -> SAXPY_COPIED.submit(host).result());
                case WEFT_APARAPI -> flow.call(() -> SAXPY_APARAPI.submit(host).result());
                default -> OpenClRows.execute(aparapi, aparapiDevice, SAXPY_N);
            }
            calls++;
        }

        /** Checks that y holds the number of calls, then releases everything. */
        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                OpenClRows.checkAll(runner + ": y after " + calls + " calls", host.y(), calls);
            } finally {
                if (raw != null) {
                    raw.close();
                } else if (flow != null) {
                    flow.close();
                } else {
                    aparapi.dispose();
                }
                home.close();
            }
        }
    }

    /** Matmul's rows. */
    @State(Scope.Benchmark)
    public static class Matmul {
        /** The row: raw JOCL, a Weft task, an Aparapi kernel in a Weft task, or Aparapi alone. */
        @Param({JOCL, WEFT_GPU, WEFT_APARAPI, APARAPI})
        public String runner;

        private TemporaryHome home;
        private RawOpenCl raw;
        private cl_kernel rawKernel;
        private DeviceFlow flow;
        private OpenCLDevice aparapiDevice;
        private float[] a;
        private float[] b;
        private Matrices matrices;
        private HostMatrices host;
        private MatmulKernel aparapi;

        /** Makes the matrices, the row's context (Weft: starts its flow run) and, but for Aparapi, the buffers. */
        @Setup(Level.Trial)
        public void setUp() {
            home = new TemporaryHome();
            int n = MATMUL_N;
            // small integers, so that every product and sum is exact in float
            a = new float[n * n];
            b = new float[n * n];
            for (int i = 0; i < n * n; i++) {
                a[i] = i % 3;
                b[i] = (i / n + 2 * (i % n)) % 4;
            }
            switch (runner) {
                case JOCL -> {
                    raw = new RawOpenCl();
                    rawKernel = raw.kernel(Kernels.source(Kernels.MATMUL), Kernels.MATMUL);
                    matrices = new Matrices(raw.buffer(a), raw.buffer(b), raw.buffer(n * n), n);
                }
                case WEFT_GPU -> {
                    flow = new DeviceFlow("gpu-matmul");
                    cl_mem[] kept = flow.call(() ->
                            KEEP.submit(new float[][] {a, b, new float[n * n]}).result());
                    matrices = new Matrices(kept[0], kept[1], kept[2], n);
                }
                case WEFT_APARAPI -> {
                    flow = new DeviceFlow("gpu-matmul-aparapi");
                    host = new HostMatrices(a, b, new float[n * n], n);
                }
                case APARAPI -> {
                    aparapiDevice = OpenClRows.aparapiDevice();
                    host = new HostMatrices(a, b, new float[n * n], n);
                    aparapi = new MatmulKernel(host);
                }
                default ->
                    throw OpenClRows.unknown(
                            runner, "GpuThroughput.matmul", List.of(JOCL, WEFT_GPU, WEFT_APARAPI, APARAPI));
            }
        }

        /** One matrix product, waited for. */
        void call() {
            switch (runner) {
                case JOCL -> {
                    cl_kernel k = rawKernel;
                    int n = matrices.n();
                    clSetKernelArg(k, 0, Sizeof.cl_mem, Pointer.to(matrices.a()));
                    clSetKernelArg(k, 1, Sizeof.cl_mem, Pointer.to(matrices.b()));
                    clSetKernelArg(k, 2, Sizeof.cl_mem, Pointer.to(matrices.c()));
                    clSetKernelArg(k, 3, Sizeof.cl_int, Pointer.to(new int[] {n}));
                    clSetKernelArg(k, 4, Sizeof.cl_int, Pointer.to(new int[] {n}));
                    clSetKernelArg(k, 5, Sizeof.cl_int, Pointer.to(new int[] {n}));
                    clEnqueueNDRangeKernel(
                            raw.queue, k, 2, null, new long[] {n, n}, new long[] {TILE, TILE}, 0, null, null);
                    clFinish(raw.queue);
                }
                case WEFT_GPU -> flow.call(() -> MATMUL.submit(matrices).result());
                case WEFT_APARAPI -> flow.call(() -> MATMUL_APARAPI.submit(host).result());
                default -> OpenClRows.execute(aparapi, aparapiDevice, host.n() * host.n());
            }
        }

        /** Checks three elements of C against Java, then releases everything. */
        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                int n = MATMUL_N;
                float[] c;
                if (raw != null) {
                    c = new float[n * n];
                    raw.read(matrices.c(), c);
                } else if (matrices != null) {
                    float[] into = new float[n * n];
                    c = flow.call(
                            () -> READ.submit(new Read(matrices.c(), into)).result());
                } else {
                    c = host.c();
                }
                for (int i : new int[] {0, n * n / 2 + 7, n * n - 1}) {
                    double expected = 0;
                    for (int t = 0; t < n; t++) {
                        expected += (double) a[(i / n) * n + t] * b[t * n + i % n];
                    }
                    if (c[i] != expected) {
                        throw new IllegalStateException(
                                runner + ": C's element " + i + " is " + c[i] + ", not " + expected);
                    }
                }
            } finally {
                if (raw != null) {
                    raw.close();
                } else if (matrices != null) {
                    ResidentBuffers.release(matrices.a(), matrices.b(), matrices.c());
                    flow.close();
                } else if (flow != null) {
                    flow.close();
                } else {
                    aparapi.dispose();
                }
                home.close();
            }
        }
    }

    /** Raw JOCL's saxpy: the arguments set, the kernel enqueued, and waited for. */
    private static void rawSaxpy(RawOpenCl raw, cl_kernel k, cl_mem x, cl_mem y, int n) {
        clSetKernelArg(k, 0, Sizeof.cl_float, Pointer.to(new float[] {A}));
        clSetKernelArg(k, 1, Sizeof.cl_mem, Pointer.to(x));
        clSetKernelArg(k, 2, Sizeof.cl_mem, Pointer.to(y));
        clSetKernelArg(k, 3, Sizeof.cl_int, Pointer.to(new int[] {n}));
        clEnqueueNDRangeKernel(raw.queue, k, 1, null, new long[] {n}, null, 0, null, null);
        clFinish(raw.queue);
    }

    private static float[] ones(int n) {
        float[] ones = new float[n];
        Arrays.fill(ones, 1.0f);
        return ones;
    }

    /**
     * One saxpy call over the device-resident vectors.
     *
     * @param state the row
     */
    @Benchmark
    public void saxpy(Saxpy state) {
        state.call();
    }

    /**
     * One saxpy call that moves the vectors to the device and y back.
     *
     * @param state the row
     */
    @Benchmark
    public void saxpyCopied(SaxpyCopied state) {
        state.call();
    }

    /**
     * One matrix product.
     *
     * @param state the row
     */
    @Benchmark
    public void matmul(Matmul state) {
        state.call();
    }
}
