package dev.weft.gpu;

import dev.weft.runner.WorkerFailedException;
import java.io.Serial;
import org.jocl.CL;
import org.jocl.CLException;

/**
 * The call's device failed, not its task: out of resources or memory, not available, or a command that
 * ended in error. The run ends {@code CRASHED} with this message; the runner and its other calls go on, and
 * what the call allocated on the device is released. Where the device is gone ({@link #goneWorker()}
 * names its worker), a call of a runner in this process runs again on another device instead, and crashes
 * only where no worker left can run it.
 */
public final class DeviceFaultException extends WorkerFailedException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The OpenCL status code. */
    private final int status;

    private DeviceFaultException(String message, CLException cause, String goneWorker) {
        super(message, cause, goneWorker);
        this.status = cause.getStatus();
    }

    /**
     * Returns this fault for a device that is gone: its worker, named, is out of placement, and the call runs
     * again on another one where its runner runs calls in this process.
     */
    DeviceFaultException onGoneWorker(String worker) {
        DeviceFaultException gone = new DeviceFaultException(getMessage(), (CLException) getCause(), worker);
        gone.setStackTrace(getStackTrace());
        return gone;
    }

    /**
     * Returns the OpenCL status code the device reported, such as {@code CL_OUT_OF_RESOURCES} (-5).
     *
     * @return the code
     */
    public int status() {
        return status;
    }

    /**
     * Returns what an OpenCL error means for a call: a fault of the device for the codes that say so, or the
     * error itself, which then fails the call as the task's own (a wrong argument, say).
     */
    static RuntimeException of(CLException e, Device device, String doing) {
        return switch (e.getStatus()) {
            case CL.CL_DEVICE_NOT_AVAILABLE,
                    CL.CL_MEM_OBJECT_ALLOCATION_FAILURE,
                    CL.CL_OUT_OF_RESOURCES,
                    CL.CL_OUT_OF_HOST_MEMORY,
                    CL.CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST ->
                new DeviceFaultException(
                        "device " + device.describe() + " failed while " + doing + ": "
                                + CL.stringFor_errorCode(e.getStatus()),
                        e,
                        null);
            default -> e;
        };
    }
}
