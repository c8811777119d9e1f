package dev.weft.internal;

import dev.weft.WeftException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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

    /**
     * Waits on the calling thread until {@code done} holds or the deadline passes: a thread that helps a
     * runner runs the runner's queued work meanwhile, any other parks. The caller has arranged to be
     * unparked when {@code done} may have changed.
     *
     * @param done the condition waited for
     * @param timed whether {@code deadline} applies
     * @param deadline a {@link System#nanoTime()} deadline
     * @param blocker what the thread parks on, for thread dumps
     * @param interrupted the message of the exception thrown if the thread is interrupted while parked
     * @return whether {@code done} holds on return
     * @throws WeftException if interrupted while parked; the thread's interrupt is kept
     */
    static boolean await(
            BooleanSupplier done, boolean timed, long deadline, Object blocker, Supplier<String> interrupted) {
        Helper helper = current();
        if (helper != null) {
            return helper.helpUntil(done, timed, deadline);
        }
        while (!done.getAsBoolean()) {
            if (timed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(blocker, left);
            } else {
                LockSupport.park(blocker);
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new WeftException(interrupted.get());
            }
        }
        return true;
    }

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
