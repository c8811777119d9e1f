package dev.weft.jmh;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.gpu.Gpu;
import dev.weft.gpu.GpuTaskRunner;
import dev.weft.jmh.OpenClRows.TemporaryHome;
import dev.weft.kernels.Kernels;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * How long a flow run on a new {@link GpuTaskRunner} takes to its first result, with its programs compiled
 * and with them loaded from the runner's program cache on disk ({@code <weft home>/opencl-cache}). Each
 * invocation is one flow run, timed once (single shot, in milliseconds): the runner starts (it finds the
 * device and makes its context), one task takes a kernel of each of Weft's four programs ({@link
 * Kernels#names()}) with {@code gpu.kernel(source, name)}, runs {@code saxpy} over 64 floats and reads them
 * back, and the runner shuts down. The result is checked.
 *
 * <ul>
 *   <li>{@code cache=empty}: the first start. Each invocation gets a new, empty Weft home ({@code
 *       -Dweft.home}), and the four sources a comment with a new random tag at their top, so that neither
 *       Weft's cache nor the driver's own (PoCL keeps compiled kernels in {@code ~/.cache/pocl/kcache}) has
 *       seen them: all four are compiled from OpenCL C.
 *   <li>{@code cache=filled}: a later start. The trial's Weft home and tagged sources are fixed, and one flow
 *       run in {@code @Setup} filled the cache (it is checked to hold four binaries); each invocation's runner
 *       loads the four from disk ({@code clCreateProgramWithBinary}).
 * </ul>
 *
 * <p>The JVM's own first-time costs (loading JOCL's native library, OpenCL's platform, classes) fall in the
 * warm-up invocations: the default is 2 of them, then 10 measured.
 *
 * <pre>{@code
 * jmh/bench GpuStart
 * }</pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = OpenClRows.NATIVE_ACCESS)
public class GpuStart {
    /** Work items of the one saxpy run. */
    static final int N = 64;

    /** A start with an empty program cache: every program compiled. */
    static final String EMPTY = "empty";

    /** A start with the programs' binaries in the cache on disk. */
    static final String FILLED = "filled";

    /** The first call: a kernel of each program, then one saxpy run, {@code y = 1 * 1 + 1}; returns y[0]. */
    static final Task1<List<String>, Float> FIRST_CALL = Task.of("first_call", (List<String> sources) -> {
        Gpu gpu = Gpu.current();
        cl_kernel saxpy = null;
        for (int i = 0; i < sources.size(); i++) {
            String name = Kernels.names().get(i);
            cl_kernel kernel = gpu.kernel(sources.get(i), name);
            if (name.equals(Kernels.SAXPY)) {
                saxpy = kernel;
            }
        }
        float[] ones = new float[N];
        Arrays.fill(ones, 1.0f);
        cl_mem x = gpu.buffer(ones);
        cl_mem y = gpu.buffer(ones);
        gpu.run(saxpy, N, N, 1.0f, x, y, N);
        float[] back = new float[N];
        gpu.read(y, back);
        return back[N - 1];
    });

    /** The row's Weft home and sources. */
    @State(Scope.Benchmark)
    public static class Start {
        /** Whether the program cache is empty or holds the programs when the runner starts. */
        @Param({EMPTY, FILLED})
        public String cache;

        private TemporaryHome home;
        private List<String> sources;

        /** For {@code filled}: the trial's home and sources, and one start that fills the cache. */
        @Setup(Level.Trial)
        public void setUpTrial() {
            if (cache.equals(FILLED)) {
                fresh();
                start(sources);
                if (home.cachedPrograms() != Kernels.names().size()) {
                    throw new IllegalStateException("the program cache " + home.programCache() + " holds "
                            + home.cachedPrograms() + " binaries after the first start, not "
                            + Kernels.names().size());
                }
            } else if (!cache.equals(EMPTY)) {
                throw OpenClRows.unknown(cache, "GpuStart", List.of(EMPTY, FILLED));
            }
        }

        /** For {@code empty}: a new, empty home and newly tagged sources before each start. */
        @Setup(Level.Invocation)
        public void setUpInvocation() {
            if (cache.equals(EMPTY)) {
                fresh();
            }
        }

        /** For {@code empty}: deletes the start's home. */
        @TearDown(Level.Invocation)
        public void tearDownInvocation() {
            if (cache.equals(EMPTY)) {
                home.close();
            }
        }

        /** For {@code filled}: deletes the trial's home. */
        @TearDown(Level.Trial)
        public void tearDownTrial() {
            if (cache.equals(FILLED)) {
                home.close();
            }
        }

        private void fresh() {
            home = new TemporaryHome();
            String tag = "// start " + UUID.randomUUID() + "\n";
            sources = Kernels.names().stream()
                    .map(name -> tag + Kernels.source(name))
                    .toList();
        }
    }

    /** One flow run on a new runner, to its first result: {@code 2.0}. */
    static float start(List<String> sources) {
        float y = Flow.of("gpu-start", new GpuTaskRunner(), () -> FIRST_CALL
                        .submit(sources)
                        .result())
                .call();
        if (y != 2.0f) {
            throw new IllegalStateException("the first call's saxpy gave " + y + ", not 2.0");
        }
        return y;
    }

    /**
     * Starts a runner, runs the first call, and shuts the runner down.
     *
     * @param state the row's home and sources
     * @return the call's result
     */
    @Benchmark
    public float start(Start state) {
        return start(state.sources);
    }
}
