package dev.weft.runner;

import dev.weft.WeftException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one park loop of the engine and its runners: park until a condition holds, a deadline passes or the
 * thread is interrupted. The caller arranges to be unparked when the condition may have changed; spurious
 * wake-ups only cost a re-check.
 */
public final class Park {

    private Park() {}

    /**
     * Parks until {@code done} holds or the deadline passes; an interrupt ends the wait with an exception.
     *
     * @param done the condition
     * @param timed whether {@code deadline} applies
     * @param deadline a {@link System#nanoTime()} deadline
     * @param blocker what the thread parks on, for thread dumps
     * @param interrupted the message of the exception thrown on an interrupt
     * @return whether {@code done} holds on return
     * @throws WeftException if interrupted; the thread's interrupt is kept
     */
    public static boolean until(
            BooleanSupplier done, boolean timed, long deadline, Object blocker, Supplier<String> interrupted) {
        while (!done.getAsBoolean()) {
            if (!parkOnce(timed, deadline, blocker)) {
                return false;
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new WeftException(interrupted.get());
            }
        }
        return true;
    }

    /**
     * Parks until {@code done} holds, whatever interrupts arrive meanwhile; an interrupt is kept for the
     * caller to see after the wait. For waits that must not be cut short, such as a run's own end.
     *
     * @param done the condition
     * @param blocker what the thread parks on, for thread dumps
     */
    public static void uninterruptibly(BooleanSupplier done, Object blocker) {
        uninterruptibly(done, false, 0L, blocker);
    }

    /**
     * Parks until {@code done} holds or the deadline passes, whatever interrupts arrive meanwhile; an
     * interrupt is kept for the caller to see after the wait.
     *
     * @param done the condition
     * @param timed whether {@code deadline} applies
     * @param deadline a {@link System#nanoTime()} deadline
     * @param blocker what the thread parks on, for thread dumps
     * @return whether {@code done} holds on return
     */
    public static boolean uninterruptibly(BooleanSupplier done, boolean timed, long deadline, Object blocker) {
        boolean interrupted = false;
        boolean held;
        while (!(held = done.getAsBoolean()) && parkOnce(timed, deadline, blocker)) {
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return held;
    }

    /**
     * Parks once, for a loop of the caller's own that looks for more than one thing between parks.
     *
     * @param timed whether {@code deadline} applies
     * @param deadline a {@link System#nanoTime()} deadline
     * @param blocker what the thread parks on, for thread dumps
     * @return false, without parking, if the deadline has passed
     */
    public static boolean once(boolean timed, long deadline, Object blocker) {
        return parkOnce(timed, deadline, blocker);
    }

    private static boolean parkOnce(boolean timed, long deadline, Object blocker) {
        HeldCalls.launch(); // the thread parks: a call held for it runs on the runner meanwhile
        if (!timed) {
            LockSupport.park(blocker);
            return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        LockSupport.parkNanos(blocker, left);
        return true;
    }
}
