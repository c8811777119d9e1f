package dev.weft.spi;

import dev.weft.WeftException;

/** A store of limits could not be reached or refused a query; the message names the store. */
public class StoreException extends WeftException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception.
     *
     * @param message what went wrong, naming the store
     * @param cause the underlying error
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
