package dev.weft.gpu;

import java.io.Serial;

/**
 * An Aparapi kernel could not run on its call's device: Aparapi cannot compile it to OpenCL (its message
 * says why), or would have run it on Java threads instead. The call fails rather than run slowly elsewhere.
 */
public final class AparapiException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not run, where, and why
     */
    public AparapiException(String message) {
        super(message);
    }
}
