package dev.weft.gpu;

import java.io.Serial;

/**
 * An OpenCL program did not build for a device. Its message holds the compiler's build log, so that a run
 * that ends with it says why.
 */
public final class KernelBuildException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The compiler's log. */
    private final String buildLog;

    /**
     * Creates the exception.
     *
     * @param device the device it was built for
     * @param buildLog the compiler's log
     */
    public KernelBuildException(Device device, String buildLog) {
        super("The OpenCL program did not build for device " + device.describe() + ":\n" + buildLog.strip());
        this.buildLog = buildLog;
    }

    /**
     * Returns the compiler's build log.
     *
     * @return the log
     */
    public String buildLog() {
        return buildLog;
    }
}
