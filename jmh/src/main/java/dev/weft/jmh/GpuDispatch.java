package dev.weft.jmh;

import static dev.weft.jmh.OpenClRows.JOCL;
import static dev.weft.jmh.OpenClRows.WEFT_GPU;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clSetKernelArg;

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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
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
 * What it costs to call a trivial kernel: Weft's {@code saxpy} ({@link Kernels#SAXPY}, {@code y = a * x + y})
 * over 64 floats, one work-group of 64, on buffers already on the device, called one at a time, each call
 * waited for before the next. Scores are calls per second (higher is better); {@code weft-gpu / jocl} is the
 * share of raw JOCL's call rate that a Weft task keeps.
 *
 * <ul>
 *   <li>{@code jocl}: JOCL alone. A context, a command queue and the kernel made once per trial; each call
 *       sets the kernel's 4 arguments, enqueues it ({@code clEnqueueNDRangeKernel}) and waits ({@code
 *       clFinish}).
 *   <li>{@code weft-gpu}: each call is a Weft task run, submitted with {@code submit(...).result()} into one
 *       flow run on {@code new GpuTaskRunner()} (one call at a time on the device) held open for the trial.
 *       The task does what Weft's API asks of a call: {@code gpu.kernel(Kernels.SAXPY)} (the program comes
 *       from the device's program cache, the kernel is made for the call and released when it ends) and
 *       {@code gpu.run(kernel, 64, 64, a, x, y, 64)}, which sets the arguments, enqueues and waits. The
 *       task run moves through its states and hands the call to the device's thread and the result back.
 * </ul>
 *
 * <p>Two more rows take the gap between those two apart:
 *
 * <ul>
 *   <li>{@code jocl-kernel-per-call}: {@code jocl}, but each call makes the kernel from the built program
 *       ({@code clCreateKernel}) and releases it after waiting, as a Weft call does: what that costs.
 *   <li>{@code weft-empty-task}: a Weft task on the same runner that takes {@code Gpu.current()} and calls
 *       no kernel: the task run's own cost, from {@code submit} to {@code result()}.
 * </ul>
 *
 * <p>The data stays on the device in both rows: {@code x} and {@code y} are made once per trial, in the
 * {@code weft-gpu} row by a setup task on the runner's own context with JOCL ({@link Gpu#context()}), so that
 * Weft does not release them when that call ends. Each call adds {@code x} (all 1) to {@code y}; the trial
 * ends by reading {@code y} back and checking that every element is the number of calls made.
 *
 * <pre>{@code
 * jmh/bench GpuDispatch
 * jmh/bench GpuDispatch -prof jfr
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = OpenClRows.NATIVE_ACCESS)
public class GpuDispatch {
    /** Diagnostic row: raw JOCL that makes and releases the kernel in each call, as a Weft call does. */
    static final String JOCL_KERNEL_PER_CALL = "jocl-kernel-per-call";

    /** Diagnostic row: a Weft task on the same runner that calls no kernel: the task run's own cost. */
    static final String WEFT_EMPTY_TASK = "weft-empty-task";

    /** Work items per call: one work-group. */
    static final int N = 64;

    /** {@code a} of {@code y = a * x + y}. */
    private static final float A = 1.0f;

    /** The buffers a call works on, on the device, and their length. */
    record Resident(cl_mem x, cl_mem y, int n) {}

    /** Weft's row: one saxpy call on the task's device, through {@link Gpu}. */
    static final Task1<Resident, Void> SAXPY = Task.of("saxpy", (Resident data) -> {
        Gpu gpu = Gpu.current();
        cl_kernel saxpy = gpu.kernel(Kernels.SAXPY);
        gpu.run(saxpy, data.n(), N, A, data.x(), data.y(), data.n());
    });

    /** The diagnostic row's task: the call's device, and nothing done on it. */
    static final Task1<Resident, Void> EMPTY = Task.of("empty", (Resident data) -> {
        Gpu.current();
    });

    /** In a setup task: {@code x} all 1 and {@code y} all 0, on the device, kept after the call. */
    static final Task1<Integer, Resident> ALLOCATE = Task.of("allocate", (Integer n) -> {
        float[] ones = new float[n];
        Arrays.fill(ones, 1.0f);
        return new Resident(ResidentBuffers.kept(ones), ResidentBuffers.kept(new float[n]), n);
    });

    /** In a task: {@code y} read back from the device. */
    static final Task1<Resident, float[]> READ_Y = Task.of("read_y", (Resident data) -> {
        float[] y = new float[data.n()];
        Gpu.current().read(data.y(), y);
        return y;
    });

    /** The row's device, buffers and kernel, made once per trial. */
    @State(Scope.Benchmark)
    public static class Calls {
        /** The row: raw JOCL or a Weft task on a {@code GpuTaskRunner}, or one of the two diagnostic rows. */
        @Param({JOCL, WEFT_GPU, JOCL_KERNEL_PER_CALL, WEFT_EMPTY_TASK})
        public String runner;

        private TemporaryHome home;
        private RawOpenCl raw;
        private cl_kernel rawKernel;
        private cl_program program;
        private boolean perCall;
        private DeviceFlow flow;
        private Resident data;
        private Callable<Void> weftCall;
        private long calls;

        /** Makes the row's context (Weft: starts its flow run), the buffers and, for JOCL, the kernel. */
        @Setup(Level.Trial)
        public void setUp() {
            home = new TemporaryHome();
            calls = 0;
            switch (runner) {
                case JOCL, JOCL_KERNEL_PER_CALL -> {
                    raw = new RawOpenCl();
                    program = raw.program(Kernels.source(Kernels.SAXPY));
                    rawKernel = raw.kernel(program, Kernels.SAXPY);
                    perCall = runner.equals(JOCL_KERNEL_PER_CALL);
                    float[] ones = new float[N];
                    Arrays.fill(ones, 1.0f);
                    data = new Resident(raw.buffer(ones), raw.buffer(new float[N]), N);
                }
                case WEFT_GPU, WEFT_EMPTY_TASK -> {
                    flow = new DeviceFlow("gpu-dispatch");
                    data = flow.call(() -> ALLOCATE.submit(N).result());
                    Resident resident = data;
                    Task1<Resident, Void> task = runner.equals(WEFT_GPU) ? SAXPY : EMPTY;
                    weftCall = flow.wrap(() -> {
                        task.submit(resident).result();
                        return null;
                    });
                }
                default ->
                    throw OpenClRows.unknown(
                            runner, "GpuDispatch", List.of(JOCL, WEFT_GPU, JOCL_KERNEL_PER_CALL, WEFT_EMPTY_TASK));
            }
        }

        /** One call of the kernel, waited for. */
        void call() throws Exception {
            if (raw != null) {
                cl_kernel kernel = perCall ? clCreateKernel(program, Kernels.SAXPY, null) : rawKernel;
                clSetKernelArg(kernel, 0, Sizeof.cl_float, Pointer.to(new float[] {A}));
                clSetKernelArg(kernel, 1, Sizeof.cl_mem, Pointer.to(data.x()));
                clSetKernelArg(kernel, 2, Sizeof.cl_mem, Pointer.to(data.y()));
                clSetKernelArg(kernel, 3, Sizeof.cl_int, Pointer.to(new int[] {N}));
                clEnqueueNDRangeKernel(raw.queue, kernel, 1, null, new long[] {N}, new long[] {N}, 0, null, null);
                clFinish(raw.queue);
                if (perCall) {
                    clReleaseKernel(kernel);
                }
            } else {
                weftCall.call();
            }
            calls++;
        }

        /** Checks that {@code y} holds the number of calls made, then releases everything. */
        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                float[] y = new float[N];
                if (raw != null) {
                    raw.read(data.y(), y);
                } else {
                    y = flow.call(() -> READ_Y.submit(data).result());
                }
                // exact while the count fits a float's 24-bit significand
                if (calls < (1 << 24)) {
                    float expected = runner.equals(WEFT_EMPTY_TASK) ? 0 : calls;
                    OpenClRows.checkAll(runner + ": y after " + calls + " calls", y, expected);
                }
            } finally {
                if (raw != null) {
                    raw.close();
                } else {
                    ResidentBuffers.release(data.x(), data.y());
                    flow.close();
                }
                home.close();
            }
        }
    }

    /**
     * Calls the kernel once and waits for it.
     *
     * @param state the row
     * @throws Exception if the call failed
     */
    @Benchmark
    public void call(Calls state) throws Exception {
        state.call();
    }
}
