package dev.weft;

import java.io.Serial;

/**
 * Thrown by the iteration of {@link TaskFuture#asCompleted(java.util.Collection, java.time.Duration)}
 * when its timeout passes before every run has ended. The message says how many of the futures had
 * ended, such as {@code asCompleted timed out after PT1S: 3 of 5 futures had ended}. The runs still in
 * flight go on; nothing is cancelled.
 */
public class WaitTimeoutException extends WeftException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** How many of the futures had ended when the timeout passed. */
    private final int ended;

    /** How many futures were waited for. */
    private final int total;

    /**
     * Creates the exception.
     *
     * @param message says what timed out and how many of how many futures had ended
     * @param ended how many of the futures had ended
     * @param total how many futures were waited for
     */
    public WaitTimeoutException(String message, int ended, int total) {
        super(message);
        this.ended = ended;
        this.total = total;
    }

    /**
     * Returns how many of the futures had ended when the timeout passed.
     *
     * @return the count, each occurrence of a future given more than once counted
     */
    public int ended() {
        return ended;
    }

    /**
     * Returns how many futures were waited for.
     *
     * @return the count, each occurrence of a future given more than once counted
     */
    public int total() {
        return total;
    }
}
