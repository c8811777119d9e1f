package dev.weft.internal;

import dev.weft.TaskRunner;
import dev.weft.WeftException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Runs calls one at a time, in the order they became ready, on the threads that hand them in: the
 * engine of {@code SequentialTaskRunner}.
 *
 * <p>Calls go to a lock-free MPSC queue. A one-bit lock says whether someone is running them: the thread
 * that takes it drains the queue, the others return at once. So a call submitted from an idle flow runs
 * on the flow's own thread before {@code submit} returns, as Prefect's sequential runner does. While an
 * asynchronous call is in flight the lock stays taken, and the thread that ends the call drains on.
 *
 * <p>A call that waits for another one queued behind it would deadlock a plain serial executor. Here the
 * waiting thread helps: it runs the queued calls itself, one at a time, until what it waits for is done.
 *
 * <p>Calls leave in priority order: the lock holder moves them from the lock-free queue to a priority
 * queue that only it touches, and takes the highest priority first (equal priorities in arrival order).
 */
public final class SerialExecutor implements Helper {
    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(SerialExecutor.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MpscQueue<TaskRunner.Call> queue = new MpscQueue<>(64);
    private final PriorityQueue<Waiting> ready = new PriorityQueue<>(); // the lock holder's
    private long arrivals; // the lock holder's
    private final Runnable resume = this::drainLocked;

    @SuppressWarnings("unused") // accessed through LOCK
    private volatile int lock;

    private volatile Thread helper;

    /** The runner's name once it has shut down: calls still queued then crash instead of running. */
    private volatile String shutDownBy;

    /**
     * Queues a call and, unless another thread or an in-flight asynchronous call holds the lock, runs the
     * queue on the calling thread.
     *
     * @param call a ready call
     */
    public void execute(TaskRunner.Call call) {
        queue.offer(call);
        if (LOCK.compareAndSet(this, 0, 1)) {
            drainLocked();
        } else {
            Thread h = helper;
            if (h != null) {
                LockSupport.unpark(h);
            }
        }
    }

    /** Runs queued calls while holding the lock; releases it when the queue is empty. */
    private void drainLocked() {
        for (; ; ) {
            TaskRunner.Call call;
            while ((call = next()) != null) {
                String shutDown = shutDownBy;
                if (shutDown != null) {
                    call.crash(new RejectedExecutionException(shutDown + " was shut down before the call ran"));
                    continue;
                }
                if (!runOne(call, resume)) {
                    return; // the in-flight call keeps the lock; its end calls resume
                }
            }
            // Volatile, not release: a release store could pass the queue read below, and a call offered by
            // a thread that lost the CAS to us would be left in the queue with nobody to run it.
            LOCK.setVolatile(this, 0);
            if (queue.isEmpty() || !LOCK.compareAndSet(this, 0, 1)) {
                return;
            }
        }
    }

    /** Takes the best call that has arrived; only the lock holder calls it. */
    private TaskRunner.Call next() {
        if (ready.isEmpty()) {
            TaskRunner.Call first = queue.poll();
            if (first == null) {
                return null;
            }
            TaskRunner.Call second = queue.poll();
            if (second == null) {
                arrivals++;
                return first; // the common case: one call, no ordering to do
            }
            ready.add(new Waiting(first, arrivals++));
            ready.add(new Waiting(second, arrivals++));
        }
        TaskRunner.Call call;
        while ((call = queue.poll()) != null) {
            ready.add(new Waiting(call, arrivals++));
        }
        Waiting best = ready.poll();
        return best == null ? null : best.call();
    }

    private boolean runOne(TaskRunner.Call call, Runnable whenFinal) {
        Helper previous = Helper.enter(this);
        try {
            return call.run(whenFinal);
        } finally {
            Helper.restore(previous);
        }
    }

    /** Only ever called on the thread holding the lock, from inside one of its calls. */
    @Override
    public boolean helpUntil(BooleanSupplier done, boolean timed, long deadline) {
        Thread me = Thread.currentThread();
        Thread outer = helper;
        helper = me;
        try {
            while (!done.getAsBoolean()) {
                TaskRunner.Call call = next();
                if (call != null) {
                    runToEnd(call);
                    continue;
                }
                if (timed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                } else {
                    LockSupport.park(this);
                }
                if (Thread.interrupted()) {
                    me.interrupt();
                    throw new WeftException("Interrupted while waiting inside a sequential task run");
                }
            }
            return true;
        } finally {
            helper = outer;
        }
    }

    /** Runs a call inside a wait; an asynchronous one is waited for, so that calls stay one at a time. */
    private void runToEnd(TaskRunner.Call call) {
        Ending ending = new Ending(Thread.currentThread());
        if (runOne(call, ending)) {
            return;
        }
        while (!ending.done) {
            LockSupport.park(this);
        }
    }

    /** Crashes the calls still queued, if no call is running; used when the runner shuts down. */
    public void crashQueued(String runner) {
        shutDownBy = runner; // a call in flight holds the lock: the drain it resumes crashes the rest
        if (!LOCK.compareAndSet(this, 0, 1)) {
            return;
        }
        try {
            TaskRunner.Call call;
            while ((call = next()) != null) {
                call.crash(new RejectedExecutionException(runner + " was shut down before the call ran"));
            }
        } finally {
            LOCK.setVolatile(this, 0);
        }
    }

    /** A call waiting in the priority queue, with its arrival number to keep equal priorities in order. */
    private record Waiting(TaskRunner.Call call, long arrival) implements Comparable<Waiting> {
        @Override
        public int compareTo(Waiting other) {
            int byPriority = Integer.compare(other.call.priority(), call.priority());
            return byPriority != 0 ? byPriority : Long.compare(arrival, other.arrival);
        }
    }

    /** Wakes a helping thread when the asynchronous call it ran has ended. */
    private static final class Ending implements Runnable {
        private final Thread waiter;
        private volatile boolean done;

        Ending(Thread waiter) {
            this.waiter = waiter;
        }

        @Override
        public void run() {
            done = true;
            LockSupport.unpark(waiter);
        }
    }
}
