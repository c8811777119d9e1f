package dev.weft.gpu;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.clCreateCommandQueueWithProperties;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;

import com.aparapi.device.OpenCLDevice;
import dev.weft.runner.Accelerator;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;

/**
 * One device's worker: its context, its program cache, the threads that run the calls placed on it, and a
 * command queue for each call that runs on it at once.
 */
final class DeviceWorker implements Accelerator {
    private final Device device;
    private final String name;
    private final cl_context context;
    private final ProgramCache programs;
    private final ExecutorService threads;
    /** Every command queue made on the device, released on close. */
    private final List<cl_command_queue> queues = new CopyOnWriteArrayList<>();

    /**
     * The queues no call holds: each call takes one and gives it back, so there are as many as calls ran at
     * once on the device, whichever threads ran them.
     */
    private final ConcurrentLinkedDeque<cl_command_queue> idleQueues = new ConcurrentLinkedDeque<>();

    private volatile OpenCLDevice aparapiDevice;
    private final List<Consumer<String>> lostListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean lost = new AtomicBoolean();

    /**
     * Opens a device: its context, and room for {@code threads} threads to run the calls placed on it, made
     * as calls come.
     */
    DeviceWorker(Device device, Path programDirectory, int threads) {
        warnIfSignalsAreNotChained(device);
        this.device = device;
        this.name = "gpu-" + device.index();
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, device.platformId());
        this.context = clCreateContext(properties, 1, new cl_device_id[] {device.id()}, null, null, null);
        this.programs = new ProgramCache(device, context, programDirectory);
        AtomicInteger made = new AtomicInteger();
        // As many threads as calls may run on the device at once, made as calls come. An idle one parks at
        // once, without spinning first: a caller that waits for its call takes it before a thread wakes,
        // and a spinning thread would take a core from the device's driver (a CPU device's kernels).
        this.threads = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "weft-" + name + "-" + made.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    Device device() {
        return device;
    }

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /**
     * Says once, on PoCL, where this JVM does not chain signal handlers: PoCL's compiler (LLVM) replaces the
     * JVM's SIGSEGV handler with a one-shot one when it builds a kernel, and two threads at the JVM's next
     * safepoint can then end it with SIGSEGV (exit status 139) and no error file.
     */
    private static void warnIfSignalsAreNotChained(Device device) {
        String preload = System.getenv("LD_PRELOAD");
        if (device.platform().contains("Portable Computing Language")
                && (preload == null || !preload.contains("libjsig"))
                && WARNED.compareAndSet(false, true)) {
            org.slf4j.LoggerFactory.getLogger("dev.weft.gpu")
                    .warn(
                            "PoCL builds kernels with LLVM, which replaces this JVM's signal handlers: the JVM can"
                                    + " end with SIGSEGV at a later safepoint. Start it with"
                                    + " LD_PRELOAD={}/lib/libjsig.so, as Weft's launcher does",
                            System.getProperty("java.home"));
        }
    }

    @Override
    public String name() {
        return name;
    }

    cl_context context() {
        return context;
    }

    ProgramCache programs() {
        return programs;
    }

    /** Returns Aparapi's handle of this device, found on first use. */
    OpenCLDevice aparapiDevice() {
        OpenCLDevice d = aparapiDevice;
        if (d == null) {
            d = Aparapi.deviceOf(device);
            aparapiDevice = d;
        }
        return d;
    }

    /**
     * Runs a placed call on one of the device's threads; the placement runs it with the device as its own
     * ({@link #run}), there or on the thread that waits for it, whichever takes it first.
     */
    void execute(Runnable placed) {
        threads.execute(placed);
    }

    @Override
    public <T> T run(Supplier<T> call) {
        cl_command_queue q = idleQueues.poll();
        if (q == null) {
            q = clCreateCommandQueueWithProperties(context, device.id(), null, null);
            queues.add(q);
        }
        try {
            return new Gpu(this, q).runCall(call);
        } finally {
            idleQueues.push(q); // the last one used is the next one taken
        }
    }

    @Override
    public void whenLost(Consumer<String> listener) {
        lostListeners.add(listener);
    }

    /**
     * Returns what an OpenCL error means for the call that met it ({@link DeviceFaultException#of}); where
     * it is a fault of the device and the device is gone (the driver says it is not available, or no longer
     * answers), tells the runner once, so that it places nothing more here.
     */
    RuntimeException fault(CLException e, String doing) {
        RuntimeException thrown = DeviceFaultException.of(e, device, doing);
        if (thrown instanceof DeviceFaultException fault
                && (e.getStatus() == CL.CL_DEVICE_NOT_AVAILABLE || !available())) {
            if (lost.compareAndSet(false, true)) {
                String why = "its device " + device.describe() + " was lost: " + CL.stringFor_errorCode(e.getStatus());
                lostListeners.forEach(listener -> listener.accept(why));
            }
            return fault.onGoneWorker(name); // out of placement now: the call runs again on another worker
        }
        return thrown;
    }

    /** Asks the driver whether the device is still there. */
    private boolean available() {
        try {
            int[] answer = new int[1];
            CL.clGetDeviceInfo(device.id(), CL.CL_DEVICE_AVAILABLE, Sizeof.cl_int, Pointer.to(answer), null);
            return answer[0] != 0;
        } catch (CLException e) {
            return false;
        }
    }

    @Override
    public String resource() {
        return "GPU";
    }

    @Override
    public String describe() {
        return device.describe();
    }

    /** Stops the threads, then releases the queues, the programs and the context. */
    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (cl_command_queue q : queues) {
            try {
                clReleaseCommandQueue(q);
            } catch (CLException ignored) {
                // released as far as the driver can
            }
        }
        programs.close();
        try {
            clReleaseContext(context);
        } catch (CLException ignored) {
            // released as far as the driver can
        }
    }
}
