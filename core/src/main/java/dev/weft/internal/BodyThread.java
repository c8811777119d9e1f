package dev.weft.internal;

import java.lang.invoke.VarHandle;

/**
 * The handshake that lets a cancel or a timeout interrupt the thread running a body (a task run's or a
 * flow run's) and nothing that thread does afterwards. The owner keeps one {@code Object} field, reached
 * through a {@link VarHandle}: the body's thread while the body runs, else null. The interrupter claims the
 * thread by CAS, interrupts it, then marks the field; the body, leaving, waits for that mark and clears the
 * interrupt before its thread goes back to whoever lent it.
 */
final class BodyThread {
    private static final Object INTERRUPTING = new Object();
    private static final Object INTERRUPTED = new Object();

    private BodyThread() {}

    /** Publishes the calling thread as the one running the owner's body. */
    static void enter(VarHandle body, Object owner) {
        body.setVolatile(owner, Thread.currentThread());
    }

    /**
     * The body has returned: takes the thread back, waiting out an interrupter at work.
     *
     * @return whether the body was interrupted; its interrupt is then cleared
     */
    static boolean leave(VarHandle body, Object owner) {
        if (body.compareAndSet(owner, Thread.currentThread(), null)) {
            return false;
        }
        while (body.getVolatile(owner) != INTERRUPTED) {
            Thread.onSpinWait();
        }
        body.setVolatile(owner, null);
        Thread.interrupted(); // the interrupt was for the body, not for what the thread does next
        return true;
    }

    /**
     * Interrupts the body's thread if the body runs now.
     *
     * @param first run after the thread is claimed and before it is interrupted
     * @return whether it interrupted a running body
     */
    static boolean interrupt(VarHandle body, Object owner, Runnable first) {
        Object b = body.getVolatile(owner);
        if (b instanceof Thread thread && body.compareAndSet(owner, b, INTERRUPTING)) {
            first.run();
            thread.interrupt();
            body.setVolatile(owner, INTERRUPTED);
            return true;
        }
        return false;
    }
}
