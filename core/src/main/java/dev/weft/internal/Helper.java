package dev.weft.internal;

import java.util.function.BooleanSupplier;

/**
 * A runner that can run its queued work on a thread that must wait, instead of parking it: how a thread
 * busy with one of a sequential runner's calls can wait on a sibling call queued behind it.
 */
interface Helper {
    ThreadLocal<Helper> CURRENT = new ThreadLocal<>();

    /**
     * Runs queued work on the calling thread until {@code done} holds or the deadline passes. The caller
     * has arranged to be unparked when {@code done} may have changed.
     *
     * @param done the condition waited for
     * @param timed whether {@code deadline} applies
     * @param deadline a {@link System#nanoTime()} deadline
     * @return whether {@code done} holds on return
     */
    boolean helpUntil(BooleanSupplier done, boolean timed, long deadline);

    static Helper current() {
        return CURRENT.get();
    }

    static Helper enter(Helper helper) {
        Helper previous = CURRENT.get();
        CURRENT.set(helper);
        return previous;
    }

    static void restore(Helper previous) {
        CURRENT.set(previous); // not remove(): a pool thread would then remake the map entry on every call
    }
}
