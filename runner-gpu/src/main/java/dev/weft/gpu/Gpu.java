package dev.weft.gpu;

import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseMemObject;
import static org.jocl.CL.clSetKernelArg;

import com.aparapi.Kernel;
import dev.weft.kernels.Kernels;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * The OpenCL device a call runs on, for the call's task: {@link #current()} inside a task placed by a
 * {@link GpuTaskRunner}. It gives the device's context, a command queue of the call's own, programs built
 * once per device and source (and kept on disk between runs), and buffers and kernels that are released
 * when the call ends, whatever its outcome.
 *
 * {@snippet :
 * Task1<float[], float[]> doubled = Task.of("doubled", (float[] x) -> {
 *     Gpu gpu = Gpu.current();
 *     cl_kernel saxpy = gpu.kernel(Kernels.SAXPY);           // Weft's own kernel: y = a * x + y
 *     cl_mem xs = gpu.buffer(x);
 *     cl_mem ys = gpu.buffer(x);
 *     gpu.run(saxpy, x.length, 64, 1.0f, xs, ys, x.length);   // ys = xs + ys
 *     float[] y = new float[x.length];
 *     gpu.read(ys, y);
 *     return y;                                               // xs, ys and saxpy are released now
 * }).withResources(Map.of("GPU", 1));
 * }
 *
 * <p>Not thread-safe: one call's, on its thread.
 */
public final class Gpu {
    private static final ThreadLocal<Gpu> CURRENT = new ThreadLocal<>();

    /** How many buffers and kernels calls in this JVM made and had released as they ended: for tests. */
    static final java.util.concurrent.atomic.AtomicLong RELEASED = new java.util.concurrent.atomic.AtomicLong();

    private final DeviceWorker worker;
    private final cl_command_queue queue;
    private final List<cl_mem> buffers = new ArrayList<>();
    private final List<cl_kernel> kernels = new ArrayList<>();
    private final List<Kernel> aparapiKernels = new ArrayList<>();
    /** Whether the task took the queue itself; Gpu's own methods wait for what they enqueue. */
    private boolean queueHandedOut;

    Gpu(DeviceWorker worker, cl_command_queue queue) {
        this.worker = worker;
        this.queue = queue;
    }

    /**
     * Returns the device of the call that runs on this thread.
     *
     * @return the call's device
     * @throws IllegalStateException if this thread runs no call placed on a device: one of a {@link
     *     GpuTaskRunner}, or of a runner that declares its GPUs from the devices it sees ({@code GPU=auto})
     */
    public static Gpu current() {
        Gpu gpu = CURRENT.get();
        if (gpu == null) {
            throw new IllegalStateException("Gpu.current() is for a task that runs on a GpuTaskRunner, and thread '"
                    + Thread.currentThread().getName() + "' runs none: give the flow a GpuTaskRunner and submit"
                    + " the task to it");
        }
        return gpu;
    }

    /** Runs a call with this device as its own, then releases what the call made on it. */
    <T> T runCall(java.util.function.Supplier<T> call) {
        Gpu outer = CURRENT.get(); // a call run inline inside another call's
        CURRENT.set(this);
        try {
            return call.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
            release();
        }
    }

    /**
     * Returns what an OpenCL error the call met means: a fault of the device, which also takes the device out
     * of placement if it is gone, or the error itself, the task's own.
     */
    RuntimeException fault(CLException e, String doing) {
        return worker.fault(e, doing);
    }

    /**
     * Returns the device: its name, type, memory and place among the host's devices.
     *
     * @return the device
     */
    public Device device() {
        return worker.device();
    }

    /**
     * Returns the device's OpenCL context, shared by the calls on it.
     *
     * @return the context
     */
    public cl_context context() {
        return worker.context();
    }

    /**
     * Returns the call's command queue: one per thread of the device's worker, so that calls in flight on
     * one device do not wait for each other's commands.
     *
     * @return the queue
     */
    public cl_command_queue queue() {
        queueHandedOut = true; // the task may enqueue on it without waiting: its end waits for the queue
        return queue;
    }

    /**
     * Returns a program built from OpenCL C for this device: once per device and source, and from its binary
     * on disk after the first build on this host.
     *
     * @param source the program's OpenCL C
     * @return the program, kept by the runner (do not release it)
     * @throws KernelBuildException if it does not build, with the compiler's log
     */
    public cl_program program(String source) {
        return program(source, "");
    }

    /**
     * Returns a program built from OpenCL C for this device with build options, such as {@code
     * -cl-fast-relaxed-math}.
     *
     * @param source the program's OpenCL C
     * @param options the build options
     * @return the program, kept by the runner (do not release it)
     * @throws KernelBuildException if it does not build, with the compiler's log
     */
    public cl_program program(String source, String options) {
        return worker.programs().program(source, options);
    }

    /**
     * Returns a kernel of one of Weft's own programs ({@link Kernels}), whose kernel has the program's name.
     *
     * @param name the kernel's name, such as {@link Kernels#SAXPY}
     * @return the kernel, released when the call ends
     * @throws IllegalArgumentException if Weft ships no kernel of that name
     */
    public cl_kernel kernel(String name) {
        return kernel(Kernels.source(name), name);
    }

    /**
     * Returns a kernel of a program built from OpenCL C.
     *
     * @param source the program's OpenCL C
     * @param name the kernel function's name
     * @return the kernel, released when the call ends
     * @throws KernelBuildException if the program does not build, with the compiler's log
     */
    public cl_kernel kernel(String source, String name) {
        cl_program program = program(source);
        try {
            cl_kernel kernel = clCreateKernel(program, name, null);
            kernels.add(kernel);
            return kernel;
        } catch (CLException e) {
            throw fault(e, "making kernel '" + name + "'");
        }
    }

    /**
     * Allocates a buffer on the device, readable and writable by kernels.
     *
     * @param bytes its size
     * @return the buffer, released when the call ends
     */
    public cl_mem buffer(long bytes) {
        return allocate(CL_MEM_READ_WRITE, bytes, null);
    }

    /**
     * Allocates a buffer on the device holding a copy of {@code data}.
     *
     * @param data what it starts with
     * @return the buffer, released when the call ends
     */
    public cl_mem buffer(float[] data) {
        return allocate(
                CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_float * data.length, Pointer.to(data));
    }

    /**
     * Allocates a buffer on the device holding a copy of {@code data}.
     *
     * @param data what it starts with
     * @return the buffer, released when the call ends
     */
    public cl_mem buffer(int[] data) {
        return allocate(CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_int * data.length, Pointer.to(data));
    }

    /** Allocates a buffer, from host memory where {@code host} is not null, to be released when the call ends. */
    private cl_mem allocate(long flags, long bytes, Pointer host) {
        try {
            cl_mem buffer = clCreateBuffer(context(), flags, bytes, host, null);
            buffers.add(buffer);
            return buffer;
        } catch (CLException e) {
            throw fault(e, "allocating a buffer of " + bytes + " bytes");
        }
    }

    /**
     * Copies a buffer's first floats into {@code into}, once the commands before are done.
     *
     * @param buffer the buffer
     * @param into where to, as many floats as it holds
     */
    public void read(cl_mem buffer, float[] into) {
        read(buffer, (long) Sizeof.cl_float * into.length, Pointer.to(into));
    }

    /**
     * Copies a buffer's first ints into {@code into}, once the commands before are done.
     *
     * @param buffer the buffer
     * @param into where to, as many ints as it holds
     */
    public void read(cl_mem buffer, int[] into) {
        read(buffer, (long) Sizeof.cl_int * into.length, Pointer.to(into));
    }

    /** Copies a buffer's first bytes to host memory, blocking until they are there. */
    private void read(cl_mem buffer, long bytes, Pointer into) {
        try {
            clEnqueueReadBuffer(queue, buffer, CL_TRUE, 0, bytes, into, 0, null, null);
        } catch (CLException e) {
            throw fault(e, "reading a buffer");
        }
    }

    /**
     * Runs a kernel over one dimension and waits until it is done: {@code size} work items (rounded up to a
     * multiple of {@code localSize}; the kernel skips those past its data), with its arguments set in order:
     * a {@code cl_mem}, an {@code Integer}, {@code Long}, {@code Float} or {@code Double}, or a {@link
     * Local} for local memory.
     *
     * @param kernel the kernel
     * @param size how many work items are needed
     * @param localSize the work-group size
     * @param args the kernel's arguments
     */
    public void run(cl_kernel kernel, long size, long localSize, Object... args) {
        long global = (size + localSize - 1) / localSize * localSize;
        run(kernel, new long[] {global}, new long[] {localSize}, args);
    }

    /**
     * Runs a kernel over one to three dimensions and waits until it is done, with its arguments set in order
     * (see {@link #run(cl_kernel, long, long, Object...)}).
     *
     * @param kernel the kernel
     * @param globalSize the work items in each dimension, multiples of the local sizes
     * @param localSize the work-group size in each dimension, or null for the driver's choice
     * @param args the kernel's arguments
     */
    public void run(cl_kernel kernel, long[] globalSize, long[] localSize, Object... args) {
        for (int i = 0; i < args.length; i++) {
            set(kernel, i, args[i]);
        }
        try {
            clEnqueueNDRangeKernel(queue, kernel, globalSize.length, null, globalSize, localSize, 0, null, null);
            clFinish(queue);
        } catch (CLException e) {
            throw fault(e, "running a kernel");
        }
    }

    /**
     * Runs an Aparapi kernel, a kernel written in Java, over {@code size} work items on this call's device,
     * and waits for it. Aparapi translates it to OpenCL for the device; where it cannot, the call fails with
     * Aparapi's reason, rather than run on Java threads as Aparapi would. The kernel's native part is
     * released when the call ends; the kernel object can be run again by later calls, which make a new one.
     * Calls that share one kernel object run it one at a time.
     *
     * {@snippet :
     * float[] squares = new float[n];
     * Gpu.current().execute(new Kernel() {
     *     @Override
     *     public void run() {
     *         int i = getGlobalId();
     *         squares[i] = i * i;
     *     }
     * }, n);
     * }
     *
     * @param kernel the kernel
     * @param size how many work items
     * @throws AparapiException if Aparapi cannot run it on this device, saying why
     */
    public void execute(Kernel kernel, int size) {
        if (!aparapiKernels.contains(kernel)) {
            aparapiKernels.add(kernel);
        }
        Aparapi.run(kernel, worker.aparapiDevice(), device(), size);
    }

    /**
     * Local memory for a kernel argument: {@code bytes} of it per work-group.
     *
     * @param bytes its size
     */
    public record Local(long bytes) {}

    private static void set(cl_kernel kernel, int index, Object arg) {
        switch (arg) {
            case cl_mem m -> clSetKernelArg(kernel, index, Sizeof.cl_mem, Pointer.to(m));
            case Integer i -> clSetKernelArg(kernel, index, Sizeof.cl_int, Pointer.to(new int[] {i}));
            case Long l -> clSetKernelArg(kernel, index, Sizeof.cl_long, Pointer.to(new long[] {l}));
            case Float f -> clSetKernelArg(kernel, index, Sizeof.cl_float, Pointer.to(new float[] {f}));
            case Double d -> clSetKernelArg(kernel, index, Sizeof.cl_double, Pointer.to(new double[] {d}));
            case Local local -> clSetKernelArg(kernel, index, local.bytes(), null);
            case null -> throw new IllegalArgumentException("kernel argument " + index + " is null");
            default ->
                throw new IllegalArgumentException("kernel argument " + index + " is a "
                        + arg.getClass().getName() + "; a kernel takes a cl_mem, an Integer, Long, Float, Double"
                        + " or Gpu.Local");
        }
    }

    /**
     * Returns how many buffers and kernels (OpenCL's and Aparapi's) this call holds on the device now: what is
     * released when it ends.
     *
     * @return the count
     */
    public int held() {
        return buffers.size() + kernels.size() + aparapiKernels.size();
    }

    /** Releases what the call made on the device: its kernels and buffers. */
    private void release() {
        for (Kernel k : aparapiKernels) {
            Aparapi.dispose(k);
        }
        RELEASED.addAndGet(aparapiKernels.size());
        aparapiKernels.clear();
        if (buffers.isEmpty() && kernels.isEmpty()) {
            return;
        }
        try {
            if (queueHandedOut) {
                clFinish(queue); // nothing the call enqueued still uses them
            }
        } catch (CLException ignored) {
            // a broken queue: what it held is released all the same
        }
        for (cl_kernel k : kernels) {
            try {
                clReleaseKernel(k);
            } catch (CLException ignored) {
                // released as far as the driver can
            }
        }
        for (cl_mem m : buffers) {
            try {
                clReleaseMemObject(m);
            } catch (CLException ignored) {
                // released as far as the driver can
            }
        }
        RELEASED.addAndGet(buffers.size() + kernels.size());
        kernels.clear();
        buffers.clear();
    }
}
