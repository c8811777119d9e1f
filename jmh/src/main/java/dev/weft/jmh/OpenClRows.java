package dev.weft.jmh;

import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueueWithProperties;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;
import static org.jocl.CL.clReleaseMemObject;

import com.aparapi.Kernel;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLPlatform;
import dev.weft.Flow;
import dev.weft.FlowContext;
import dev.weft.FlowRunFuture;
import dev.weft.gpu.Device;
import dev.weft.gpu.Gpu;
import dev.weft.gpu.GpuTaskRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * What the GPU benchmarks ({@link GpuDispatch}, {@link GpuThroughput}, {@link GpuStart}) share: their rows'
 * names, a Weft flow run held open on a {@link GpuTaskRunner} for a trial, the raw-JOCL baseline on the same
 * device, and a temporary Weft home, so that the runner's program cache is the benchmark's own and never the
 * user's {@code ~/.weft}.
 *
 * <p>Both kinds of row run on the device a plain {@code new GpuTaskRunner()} takes: the host's first GPU, or
 * with none its first other OpenCL device (PoCL's CPU device on a host without a GPU).
 */
final class OpenClRows {
    /** The baseline: the kernel called through JOCL alone, with the context, queue and kernel made once. */
    static final String JOCL = "jocl";

    /** The same OpenCL C kernel in a Weft task on a {@link GpuTaskRunner}, through {@link Gpu}. */
    static final String WEFT_GPU = "weft-gpu";

    /** A kernel written in Java, run by Aparapi with {@code Gpu.current().execute(kernel, size)} in a Weft task. */
    static final String WEFT_APARAPI = "weft-aparapi";

    /**
     * Aparapi alone, for comparison with {@link #WEFT_APARAPI}: the same kernel object executed again and
     * again on the same device, never disposed between calls.
     */
    static final String APARAPI = "aparapi";

    /** JOCL and Aparapi load native libraries: without it, JDK 24 and newer warn in the forked JVM. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private OpenClRows() {}

    /** Throws for a row that a benchmark does not have. */
    static IllegalArgumentException unknown(String row, String benchmark, List<String> rows) {
        return new IllegalArgumentException("'" + row + "' is not a row of " + benchmark + "; its rows: " + rows);
    }

    /** Returns Aparapi's handle of the device a plain {@code new GpuTaskRunner()} takes: same platform and name. */
    static OpenCLDevice aparapiDevice() {
        Device first = GpuTaskRunner.hostDevices().getFirst();
        for (OpenCLPlatform platform : OpenCLPlatform.getUncachedOpenCLPlatforms()) {
            for (OpenCLDevice device : platform.getOpenCLDevices()) {
                if (platform.getName().strip().equals(first.platform())
                        && device.getName().strip().equals(first.name())) {
                    return device;
                }
            }
        }
        throw new IllegalStateException("Aparapi does not see " + first.describe());
    }

    /**
     * Aparapi alone: executes a kernel over {@code size} work items on the device and waits for it.
     *
     * @throws IllegalStateException if Aparapi ran it on Java threads instead
     */
    static void execute(Kernel kernel, OpenCLDevice device, int size) {
        kernel.execute(device.createRange(size));
        if (!kernel.isRunningCL()) {
            throw new IllegalStateException("Aparapi ran " + kernel.getClass().getName() + " on Java threads");
        }
    }

    /**
     * Checks that every value of {@code values} is {@code expected}, exactly.
     *
     * @throws IllegalStateException naming the first that is not
     */
    static void checkAll(String what, float[] values, float expected) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != expected) {
                throw new IllegalStateException(
                        what + ": element " + i + " is " + values[i] + ", not " + expected + " as it should be");
            }
        }
    }

    /**
     * A Weft home of its own in a temporary folder, set with {@code -Dweft.home} for the runners that start
     * while it is open; closing it deletes the folder and clears the property. A home a failed setup left
     * open is deleted when the JVM exits.
     */
    static final class TemporaryHome implements AutoCloseable {
        private final Path home;
        private final Thread atExit;

        TemporaryHome() {
            try {
                home = Files.createTempDirectory("weft-jmh-gpu-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a temporary Weft home", e);
            }
            atExit = new Thread(this::delete, "weft-jmh-home-cleanup");
            Runtime.getRuntime().addShutdownHook(atExit);
            System.setProperty("weft.home", home.toString());
        }

        /** Returns the folder of the runner's program cache, {@code <home>/opencl-cache}. */
        Path programCache() {
            return home.resolve("opencl-cache");
        }

        /** Returns how many program binaries the cache holds. */
        long cachedPrograms() {
            if (!Files.isDirectory(programCache())) {
                return 0;
            }
            try (Stream<Path> files = Files.list(programCache())) {
                return files.filter(f -> f.toString().endsWith(".bin")).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            System.clearProperty("weft.home");
            try {
                Runtime.getRuntime().removeShutdownHook(atExit);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook deletes it too, which does no harm
            }
            delete();
        }

        private void delete() {
            if (!Files.exists(home)) {
                return;
            }
            try (Stream<Path> all = Files.walk(home)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the temporary Weft home " + home, e);
            }
        }
    }

    /**
     * One Weft flow run on {@code new GpuTaskRunner()}, held open for a trial, as {@link Remote}'s is: started
     * with {@link Flow#start()}, its body hands out its {@link FlowContext} and waits until {@link #close()},
     * so that the runner's start (the device's context) and its stop are outside the measurement. Work given to
     * {@link #wrap(Callable)} submits its tasks into this flow run from the benchmark's thread, as a body
     * would.
     */
    static final class DeviceFlow implements AutoCloseable {
        private final CountDownLatch end = new CountDownLatch(1);
        private final FlowRunFuture<Void> run;
        private final FlowContext context;

        DeviceFlow(String name) {
            CompletableFuture<FlowContext> started = new CompletableFuture<>();
            run = Flow.of(name, new GpuTaskRunner(), () -> {
                        started.complete(FlowContext.current());
                        end.await();
                    })
                    .start();
            context = awaitBody(started);
        }

        /** Waits until the body runs, which is once the runner has started on its device. */
        private FlowContext awaitBody(CompletableFuture<FlowContext> started) {
            while (true) {
                try {
                    return started.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (run.isDone()) {
                        run.result(); // throws why it ended
                        throw new IllegalStateException("the flow run ended before its body ran");
                    }
                } catch (InterruptedException | ExecutionException e) {
                    end.countDown();
                    throw new IllegalStateException("the flow run did not start: " + e, e);
                }
            }
        }

        /** Returns work that submits into this flow run from whatever thread calls it. */
        <V> Callable<V> wrap(Callable<V> work) {
            return context.wrap(work);
        }

        /** Runs work in this flow run on the calling thread, rethrowing what it throws unchecked. */
        <V> V call(Callable<V> work) {
            try {
                return wrap(work).call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            end.countDown();
            run.result(); // the runner has shut down, and released its device's context, once the run ends
        }
    }

    /**
     * The raw-JOCL baseline: a context and one command queue on the device {@code new GpuTaskRunner()} would
     * take, made once, and the programs, kernels and buffers a benchmark makes on them, released on {@link
     * #close()}. What a user of JOCL alone who calls a kernel again and again would keep.
     */
    static final class RawOpenCl implements AutoCloseable {
        final cl_context context;
        final cl_command_queue queue;
        private final cl_device_id device;
        private final List<cl_program> programs = new ArrayList<>();
        private final List<cl_kernel> kernels = new ArrayList<>();
        private final List<cl_mem> buffers = new ArrayList<>();

        RawOpenCl() {
            // the host's devices as Weft lists them, GPUs first: the first is the one a plain GpuTaskRunner takes
            Device first = GpuTaskRunner.hostDevices().getFirst();
            CL.setExceptionsEnabled(true); // as Weft does: a failed call throws
            device = first.id();
            cl_context_properties properties = new cl_context_properties();
            properties.addProperty(CL.CL_CONTEXT_PLATFORM, first.platformId());
            context = clCreateContext(properties, 1, new cl_device_id[] {device}, null, null, null);
            queue = clCreateCommandQueueWithProperties(context, device, null, null);
        }

        /** Builds a program from OpenCL C, released on {@link #close()}. */
        cl_program program(String source) {
            cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
            programs.add(program);
            clBuildProgram(program, 1, new cl_device_id[] {device}, "", null, null);
            return program;
        }

        /** Makes a program's kernel {@code name}, released on {@link #close()}. */
        cl_kernel kernel(cl_program program, String name) {
            cl_kernel kernel = clCreateKernel(program, name, null);
            kernels.add(kernel);
            return kernel;
        }

        /** Builds a program from OpenCL C and makes its kernel {@code name}, released on {@link #close()}. */
        cl_kernel kernel(String source, String name) {
            return kernel(program(source), name);
        }

        /** Allocates a buffer holding a copy of {@code data}, released on {@link #close()}. */
        cl_mem buffer(float[] data) {
            cl_mem buffer = bufferForOneCall(data);
            buffers.add(buffer);
            return buffer;
        }

        /** Allocates a buffer holding a copy of {@code data}, for the caller to release. */
        cl_mem bufferForOneCall(float[] data) {
            return clCreateBuffer(
                    context,
                    CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                    (long) Sizeof.cl_float * data.length,
                    Pointer.to(data),
                    null);
        }

        /** Allocates an empty buffer of {@code floats} floats, released on {@link #close()}. */
        cl_mem buffer(int floats) {
            cl_mem buffer = clCreateBuffer(context, CL_MEM_READ_WRITE, (long) Sizeof.cl_float * floats, null, null);
            buffers.add(buffer);
            return buffer;
        }

        /** Copies a buffer's first floats into {@code into}, blocking until they are there. */
        void read(cl_mem buffer, float[] into) {
            clEnqueueReadBuffer(
                    queue, buffer, CL_TRUE, 0, (long) Sizeof.cl_float * into.length, Pointer.to(into), 0, null, null);
        }

        @Override
        public void close() {
            buffers.forEach(CL::clReleaseMemObject);
            kernels.forEach(CL::clReleaseKernel);
            programs.forEach(CL::clReleaseProgram);
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
        }
    }

    /**
     * Buffers made in a Weft task on the runner's context with JOCL ({@link Gpu#context()}), which Weft does
     * not release when the call ends: device-resident data that outlives one call, as the raw row's does.
     * Released by {@link #release(cl_mem...)}.
     */
    static final class ResidentBuffers {
        private ResidentBuffers() {}

        /** In a task: a buffer on the call's device holding a copy of {@code data}, kept after the call. */
        static cl_mem kept(float[] data) {
            return clCreateBuffer(
                    Gpu.current().context(),
                    CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                    (long) Sizeof.cl_float * data.length,
                    Pointer.to(data),
                    null);
        }

        /** In a task: an empty buffer of {@code floats} floats on the call's device, kept after the call. */
        static cl_mem kept(int floats) {
            return clCreateBuffer(
                    Gpu.current().context(), CL_MEM_READ_WRITE, (long) Sizeof.cl_float * floats, null, null);
        }

        /** Releases kept buffers; OpenCL's release may be called from any thread. */
        static void release(cl_mem... buffers) {
            for (cl_mem buffer : buffers) {
                clReleaseMemObject(buffer);
            }
        }
    }
}
