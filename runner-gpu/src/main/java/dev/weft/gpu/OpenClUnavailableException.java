package dev.weft.gpu;

import java.io.Serial;

/**
 * OpenCL cannot be had on this host: no driver, or no platform. Its message says what to install.
 */
public final class OpenClUnavailableException extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is missing, and what to install
     */
    public OpenClUnavailableException(String message) {
        super(message);
    }
}
