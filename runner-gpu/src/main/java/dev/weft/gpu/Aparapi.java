package dev.weft.gpu;

import com.aparapi.Kernel;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import com.aparapi.internal.opencl.OpenCLPlatform;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Aparapi kernels on a call's device. Aparapi falls back to a Java thread pool, silently but for a log
 * line, when a kernel cannot run on OpenCL; here that is an error that says why: the kernel is compiled
 * for the device first, and a run that did not happen on OpenCL fails.
 */
final class Aparapi {
    /** Aparapi's own warnings (an untested platform, class file attributes it skips); its errors stay. */
    private static final Logger QUIET = Logger.getLogger("com.aparapi");

    static {
        QUIET.setLevel(Level.SEVERE);
    }

    private Aparapi() {}

    /** Returns Aparapi's handle of a device: the one of the same platform, name and type. */
    static OpenCLDevice deviceOf(Device device) {
        for (OpenCLPlatform platform : OpenCLPlatform.getUncachedOpenCLPlatforms()) {
            if (!platform.getName().strip().equals(device.platform())) {
                continue;
            }
            for (OpenCLDevice candidate : platform.getOpenCLDevices()) {
                if (candidate.getName().strip().equals(device.name())
                        && candidate.getType().name().equals(device.type().name())) {
                    return candidate;
                }
            }
        }
        throw new AparapiException("Aparapi does not see device " + device.describe()
                + " among its OpenCL devices; it cannot run kernels there");
    }

    /**
     * Runs an Aparapi kernel over {@code size} work items on the device, and waits for it.
     *
     * @throws AparapiException if Aparapi cannot compile it for the device, or ran it elsewhere
     */
    static void run(Kernel kernel, OpenCLDevice device, Device described, int size) {
        String name = kernel.getClass().getName();
        // One kernel object is one native runner: calls that share it take turns, and it is never disposed of
        // (as the end of another call does) while it runs (see dispose).
        synchronized (kernel) {
            try {
                kernel.compile(device);
            } catch (CompileFailedException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new AparapiException("Aparapi cannot run kernel " + name + " on device "
                        + described.describe() + ": " + cause.getMessage()
                        + " (Weft does not let it fall back to Java threads)");
            }
            kernel.execute(device.createRange(size));
            if (!kernel.isRunningCL()) {
                throw new AparapiException("Aparapi ran kernel " + name + " on Java threads, not on device "
                        + described.describe() + " (its log says why); Weft takes that for a failure");
            }
        }
    }

    /** Releases a kernel's native runner, once no call runs it; a later call makes a new one. */
    static void dispose(Kernel kernel) {
        synchronized (kernel) {
            kernel.dispose();
        }
    }
}
