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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * One device's worker: its context, its program cache, and its threads, each with a command queue of its
 * own, that run the calls placed on it.
 */
final class DeviceWorker implements Accelerator {
    private final Device device;
    private final String name;
    private final cl_context context;
    private final ProgramCache programs;
    private final ExecutorService threads;
    private final List<cl_command_queue> queues = new CopyOnWriteArrayList<>();
    private final ThreadLocal<cl_command_queue> queue = new ThreadLocal<>();
    private volatile OpenCLDevice aparapiDevice;
    private final List<Consumer<String>> lostListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean lost = new AtomicBoolean();

    DeviceWorker(Device device, Path programDirectory) {
        warnIfSignalsAreNotChained(device);
        this.device = device;
        this.name = "gpu-" + device.index();
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, device.platformId());
        this.context = clCreateContext(properties, 1, new cl_device_id[] {device.id()}, null, null, null);
        this.programs = new ProgramCache(device, context, programDirectory);
        AtomicInteger made = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
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

    /** Runs a call on one of the device's threads, with the device as its own. */
    void execute(Runnable call) {
        threads.execute(() -> run(() -> {
            call.run();
            return null;
        }));
    }

    @Override
    public <T> T run(Supplier<T> call) {
        return new Gpu(this, queue()).runCall(call);
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

    /** Returns this thread's command queue on the device, made on its first call. */
    private cl_command_queue queue() {
        cl_command_queue q = queue.get();
        if (q == null) {
            q = clCreateCommandQueueWithProperties(context, device.id(), null, null);
            queue.set(q);
            queues.add(q);
        }
        return q;
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
