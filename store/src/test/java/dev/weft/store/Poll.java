package dev.weft.store;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition by asking it again until a deadline, for tests. */
final class Poll {
    private static final long PAUSE_MS = 10;

    private Poll() {}

    /**
     * Returns once {@code condition} holds; fails the test if it does not within {@code timeout}.
     *
     * @param timeout how long to ask
     * @param condition the condition
     * @param what what it says, for the failure
     */
    static void until(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("Interrupted while waiting until " + what);
            }
        }
    }
}
