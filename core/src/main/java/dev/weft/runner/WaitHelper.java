package dev.weft.runner;

import dev.weft.TaskRunner;
import dev.weft.WeftException;
import dev.weft.internal.PoolThread;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The hook that lets a thread running a call do something better than park when the call waits for a
 * future: a sequential runner runs its queued calls there, a placement gives the call's thread slot back
 * (as Dask's {@code secede}). A runner installs its helper around each call it runs ({@link #enter},
 * {@link #restore}); every wait of the engine on that thread goes through {@link #await}.
 */
public interface WaitHelper {

    /**
     * Waits, helping, until {@code done} holds or the deadline passes. The caller has arranged to be
     * unparked when {@code done} may have changed.
     *
     * @param done the condition waited for
     * @param timed whether {@code deadline} applies
     * @param deadline a {@link System#nanoTime()} deadline
     * @return whether {@code done} holds on return
     * @throws WeftException if interrupted; the thread's interrupt is kept
     */
    boolean helpUntil(BooleanSupplier done, boolean timed, long deadline);

    /**
     * Told by the engine, on the thread that runs {@code call}, that the call's own code has returned and
     * only its ending is left (its outcome recorded, the runs waiting for it told): a helper that will run
     * the next call on this thread right after may keep for itself the calls made ready meanwhile, rather
     * than hand them to other threads. Does nothing by default.
     *
     * @param call the call whose code returned
     */
    default void callReturned(TaskRunner.Call call) {}

    /**
     * The engine's side of {@link #callReturned}: tells the helper installed on the calling thread, where
     * that thread is one of a runner's pool ({@link PoolThreads}); elsewhere it costs one type check and
     * does nothing.
     *
     * @param call the call whose code returned on this thread
     */
    static void returned(TaskRunner.Call call) {
        if (Thread.currentThread() instanceof PoolThread pool) {
            WaitHelper helper = pool.helper();
            if (helper != null) {
                helper.callReturned(call);
            }
        }
    }

    /**
     * Waits on the calling thread until {@code done} holds or the deadline passes: through the thread's
     * helper if it has one, else parked ({@link Park}).
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
        HeldCalls.launch(); // the thread waits: a call held for it runs on the runner meanwhile
        WaitHelper helper = current();
        if (helper != null) {
            return helper.helpUntil(done, timed, deadline);
        }
        return Park.until(done, timed, deadline, blocker, interrupted);
    }

    /**
     * Before the calling thread waits otherwise than through {@link #await}: launches the call that a
     * {@link Placement.Builder#callerRuns() callerRuns} placement holds for it, if any, since the thread will
     * not run it now. {@link #await} and {@link Park} do this themselves.
     */
    static void beforeWaiting() {
        HeldCalls.launch();
    }

    /**
     * Returns the helper installed on the calling thread.
     *
     * @return the helper, or null
     */
    static WaitHelper current() {
        return Thread.currentThread() instanceof PoolThread pool ? pool.helper() : Installed.CURRENT.get();
    }

    /**
     * Installs a helper on the calling thread, for the call about to run there.
     *
     * @param helper the helper
     * @return the helper it replaces, to give to {@link #restore}
     */
    static WaitHelper enter(WaitHelper helper) {
        if (Thread.currentThread() instanceof PoolThread pool) {
            return pool.swapHelper(helper);
        }
        WaitHelper previous = Installed.CURRENT.get();
        Installed.CURRENT.set(helper);
        return previous;
    }

    /**
     * Puts back the helper that {@link #enter} replaced.
     *
     * @param previous what {@code enter} returned
     */
    static void restore(WaitHelper previous) {
        if (Thread.currentThread() instanceof PoolThread pool) {
            pool.swapHelper(previous);
            return;
        }
        Installed.CURRENT.set(previous); // not remove(): a pool thread would then remake the map entry each call
    }

    /** Holds the thread-local out of the interface's public constants. */
    final class Installed {
        private static final ThreadLocal<WaitHelper> CURRENT = new ThreadLocal<>();

        private Installed() {}
    }
}
