package dev.weft.kernels;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_ONLY;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformIDs;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseMemObject;
import static org.jocl.CL.clReleaseProgram;
import static org.jocl.CL.clSetKernelArg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * One OpenCL context and in-order queue on one device, through raw JOCL. Every object made through it is
 * released by {@link #close()}, newest first, so a test that opens it in a try-with-resources leaks nothing
 * even when an assertion fails. Not thread safe.
 */
final class OpenClSession implements AutoCloseable {

    /** An OpenCL device and the platform it belongs to. */
    record Device(cl_platform_id platform, cl_device_id id, String name) {}

    /** A {@code __local} kernel argument: its size, and no data, since local memory starts undefined. */
    record LocalMemory(long bytes) {}

    private final Device device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final Deque<Runnable> releases = new ArrayDeque<>();

    private OpenClSession(Device device, cl_context context, cl_command_queue queue) {
        this.device = device;
        this.context = context;
        this.queue = queue;
        releases.push(() -> clReleaseContext(context));
        releases.push(() -> clReleaseCommandQueue(queue));
    }

    /**
     * Returns the device to test on: the first GPU of any platform, else the first device of any type (on a
     * machine with only PoCL, its CPU device). Empty where the platforms have no device at all.
     *
     * @throws LinkageError if JOCL cannot load its native library or the OpenCL library
     * @throws CLException if the OpenCL library finds no platform (no installable client driver)
     */
    static Optional<Device> preferredDevice() {
        CL.setExceptionsEnabled(true);
        int[] count = new int[1];
        clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        if (platforms.length > 0) {
            clGetPlatformIDs(platforms.length, platforms, null);
        }
        for (long type : new long[] {CL_DEVICE_TYPE_GPU, CL_DEVICE_TYPE_ALL}) {
            for (cl_platform_id platform : platforms) {
                Optional<cl_device_id> id = firstDevice(platform, type);
                if (id.isPresent()) {
                    return Optional.of(new Device(platform, id.get(), deviceName(id.get())));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Opens a context and a queue on a device.
     *
     * @param device the device to run on
     * @return the open session
     */
    @SuppressWarnings("deprecation") // clCreateCommandQueue: deprecated by OpenCL 2.0, the one OpenCL 1.2 has
    static OpenClSession open(Device device) {
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        cl_context context = clCreateContext(properties, 1, new cl_device_id[] {device.id()}, null, null, null);
        try {
            cl_command_queue queue = clCreateCommandQueue(context, device.id(), 0, null);
            return new OpenClSession(device, context, queue);
        } catch (RuntimeException e) {
            clReleaseContext(context);
            throw e;
        }
    }

    /**
     * Builds the kernel of that name from {@link Kernels#source(String)}.
     *
     * @throws AssertionError with the compiler's log if the source does not build
     */
    cl_kernel kernel(String name) {
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {Kernels.source(name)}, null, null);
        releases.push(() -> clReleaseProgram(program));
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device.id()}, null, null, null);
        } catch (CLException e) {
            throw new AssertionError(
                    "kernel " + name + " does not build on " + device.name() + ":\n" + buildLog(program), e);
        }
        cl_kernel kernel = clCreateKernel(program, name, null);
        releases.push(() -> clReleaseKernel(kernel));
        return kernel;
    }

    /**
     * Sets a kernel's arguments in order. Each is a buffer ({@code cl_mem}), an {@code Integer} for an
     * {@code int} or {@code uint}, a {@code Float}, or {@link #local(long)} for a {@code __local} pointer.
     */
    static void setArgs(cl_kernel kernel, Object... args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case cl_mem buffer -> clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to(buffer));
                case Integer value -> clSetKernelArg(kernel, i, Sizeof.cl_int, Pointer.to(new int[] {value}));
                case Float value -> clSetKernelArg(kernel, i, Sizeof.cl_float, Pointer.to(new float[] {value}));
                case LocalMemory local -> clSetKernelArg(kernel, i, local.bytes(), null);
                default -> throw new IllegalArgumentException("not a kernel argument: " + args[i]);
            }
        }
    }

    /** Returns a {@code __local} argument of that many bytes; each work-group gets its own. */
    static LocalMemory local(long bytes) {
        return new LocalMemory(bytes);
    }

    /** Returns a device buffer holding a copy of {@code values}, read-only to kernels. */
    cl_mem input(float[] values) {
        return buffer(
                CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_float * values.length, Pointer.to(values));
    }

    /** Returns a device buffer holding a copy of {@code values}, which kernels may read and write. */
    cl_mem inputOutput(float[] values) {
        return buffer(
                CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_float * values.length, Pointer.to(values));
    }

    /** Returns an uninitialised device buffer of {@code bytes} for kernels to write. */
    cl_mem output(long bytes) {
        return buffer(CL_MEM_READ_WRITE, bytes, null);
    }

    /**
     * Runs a kernel over an NDRange and waits for it to finish.
     *
     * @param globalSize the global size in each dimension
     * @param localSize the work-group size in each dimension, or null to let the implementation choose
     */
    void run(cl_kernel kernel, long[] globalSize, long[] localSize) {
        clEnqueueNDRangeKernel(queue, kernel, globalSize.length, null, globalSize, localSize, 0, null, null);
        clFinish(queue);
    }

    /** Copies a buffer's floats into {@code into}, blocking until they are there. */
    void read(cl_mem buffer, float[] into) {
        clEnqueueReadBuffer(
                queue, buffer, CL_TRUE, 0, (long) Sizeof.cl_float * into.length, Pointer.to(into), 0, null, null);
    }

    /** Copies a buffer's 32-bit words into {@code into}, blocking until they are there. */
    void read(cl_mem buffer, int[] into) {
        clEnqueueReadBuffer(
                queue, buffer, CL_TRUE, 0, (long) Sizeof.cl_uint * into.length, Pointer.to(into), 0, null, null);
    }

    /** Releases every object this session made, newest first; a release that fails does not stop the rest. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!releases.isEmpty()) {
            try {
                releases.pop().run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private cl_mem buffer(long flags, long bytes, Pointer host) {
        cl_mem buffer = clCreateBuffer(context, flags, bytes, host, null);
        releases.push(() -> clReleaseMemObject(buffer));
        return buffer;
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] log = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, StandardCharsets.UTF_8).trim();
    }

    private static Optional<cl_device_id> firstDevice(cl_platform_id platform, long type) {
        try {
            cl_device_id[] ids = new cl_device_id[1];
            clGetDeviceIDs(platform, type, 1, ids, null);
            return Optional.of(ids[0]);
        } catch (CLException e) {
            return Optional.empty(); // CL_DEVICE_NOT_FOUND: this platform has no device of that type
        }
    }

    private static String deviceName(cl_device_id id) {
        long[] size = new long[1];
        clGetDeviceInfo(id, CL_DEVICE_NAME, 0, null, size);
        byte[] name = new byte[(int) size[0]];
        clGetDeviceInfo(id, CL_DEVICE_NAME, name.length, Pointer.to(name), null);
        return new String(name, 0, Math.max(0, name.length - 1), StandardCharsets.UTF_8); // drop the NUL
    }
}
