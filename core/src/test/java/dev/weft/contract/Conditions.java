package dev.weft.contract;

import java.util.function.BooleanSupplier;

/** Waits for a condition that another thread makes true, with a deadline: for tests. */
public final class Conditions {
    private Conditions() {}

    /**
     * Returns once {@code condition} holds; fails if it does not within 30 seconds.
     *
     * @param what what the condition says, for the failure
     * @param condition the condition
     */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
