package dev.weft.runner;

import dev.weft.TaskRunner;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Calls a {@link Placement.Builder#callerRuns() callerRuns} placement holds for the thread that submitted
 * them, instead of launching them at once: if that thread then waits for its call, it runs it itself, and no
 * thread of the runner is woken for nothing (a woken thread that finds the call taken still costs a core for
 * a moment, which a CPU device's kernels feel). A thread holds at most one call, its last; it is launched
 * when the thread submits again or waits for anything else, and at the latest {@link #HOLD_NANOS} after it
 * was placed, by a timer thread shared by the JVM, for a thread that went on to other work.
 *
 * <p>The timer wakes when the first call is held after a quiet spell, then every {@link #HOLD_NANOS} while
 * calls are held and for {@link #LINGER_NANOS} after, then sleeps until a call is held again: one wake-up
 * per hold time, not one per call.
 */
final class HeldCalls {
    /** The longest a held call waits to be launched, where nothing launched it before. */
    static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * How long the timer goes on waking every hold time after the last held call it saw, before it sleeps
     * until the next: a flow that holds calls one after another wakes it once per hold time, not per call.
     */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Whether any call was ever held in this JVM: before, a thread's checks read nothing else. */
    private static volatile boolean used;

    /** The call this thread holds, or null. */
    private static final ThreadLocal<Placement.Placed> HELD = new ThreadLocal<>();

    /** Held calls in the order they were held, each with the moment it is due. */
    private static final ConcurrentLinkedQueue<Due> DUE = new ConcurrentLinkedQueue<>();

    private static final Object LOCK = new Object();
    private static volatile Thread timer;
    private static volatile boolean timerIdle;

    private HeldCalls() {}

    private record Due(Placement.Placed placed, long at) {}

    /** Holds a call for the calling thread, its submitter; launches the call it held before. */
    static void hold(Placement.Placed placed) {
        if (!used) {
            used = true;
        }
        Placement.Placed before = HELD.get();
        HELD.set(placed);
        if (before != null) {
            before.launchUnlessTaken();
        }
        DUE.add(new Due(placed, System.nanoTime() + HOLD_NANOS));
        Thread t = timer;
        if (t == null) {
            startTimer();
        } else if (timerIdle) {
            LockSupport.unpark(t);
        }
    }

    /** Launches the call the calling thread holds, if any: it is about to do something else than run it. */
    static void launch() {
        launchExcept(null);
    }

    /**
     * Launches the call the calling thread holds unless it is {@code taking}, which the thread is about to
     * run itself.
     */
    static void launchExcept(Placement.Placed taking) {
        if (!used) {
            return;
        }
        Placement.Placed held = HELD.get();
        if (held != null) {
            HELD.set(null);
            if (held != taking) {
                held.launchUnlessTaken();
            }
        }
    }

    /** The call the calling thread is submitting to a callerRuns placement, or null. */
    private static final ThreadLocal<TaskRunner.Call> SUBMITTING = new ThreadLocal<>();

    /** Marks the call the calling thread submits now, or clears the mark with null. */
    static void submitting(TaskRunner.Call call) {
        SUBMITTING.set(call);
    }

    /** Whether the calling thread is submitting this call: it is the thread that may wait for it next. */
    static boolean isSubmitting(TaskRunner.Call call) {
        return SUBMITTING.get() == call;
    }

    private static void startTimer() {
        synchronized (LOCK) {
            if (timer == null) {
                Thread t = new Thread(HeldCalls::launchDue, "weft-held-calls");
                t.setDaemon(true);
                t.start();
                timer = t;
            }
        }
    }

    /**
     * The timer: every {@link #HOLD_NANOS} while calls are held, drops those taken meanwhile and launches
     * those due; so a call is launched at most twice the hold time after it was held.
     */
    private static void launchDue() {
        long lastHeld = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            Due head;
            boolean swept = false;
            while ((head = DUE.peek()) != null && (head.placed.isTaken() || head.at - now <= 0)) {
                DUE.poll();
                launchQuietly(head.placed);
                swept = true;
            }
            if (head != null || swept) {
                lastHeld = now;
            }
            if (head == null && now - lastHeld > LINGER_NANOS) {
                timerIdle = true; // then the queue is read again: a call held meanwhile sees this, or is seen
                if (DUE.isEmpty()) {
                    LockSupport.park(HeldCalls.class);
                }
                timerIdle = false;
                lastHeld = System.nanoTime();
            } else {
                LockSupport.parkNanos(HeldCalls.class, HOLD_NANOS);
            }
        }
    }

    private static void launchQuietly(Placement.Placed placed) {
        try {
            placed.launchUnlessTaken();
        } catch (RuntimeException e) {
            // a runner's launcher that broke its contract: reported, and the other runners' calls still launch
            Thread me = Thread.currentThread();
            me.getUncaughtExceptionHandler().uncaughtException(me, e);
        }
    }
}
