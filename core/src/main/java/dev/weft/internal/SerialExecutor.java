package dev.weft.internal;

import dev.weft.TaskRunner;
import dev.weft.WeftException;
import dev.weft.runner.DrainFlag;
import dev.weft.runner.Park;
import dev.weft.runner.WaitHelper;
import dev.weft.runner.WaitingCall;
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
public final class SerialExecutor implements WaitHelper {
    private final MpscQueue<TaskRunner.Call> queue = new MpscQueue<>(64);
    private final PriorityQueue<WaitingCall> ready = new PriorityQueue<>(); // the lock holder's
    private final DrainFlag lock = new DrainFlag();
    private long arrivals; // the lock holder's
    private final Runnable resume = this::drainLocked;

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
        if (lock.tryTake()) {
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
            lock.release();
            if (queue.isEmpty() || !lock.tryTake()) {
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
            ready.add(new WaitingCall(first, arrivals++));
            ready.add(new WaitingCall(second, arrivals++));
        }
        TaskRunner.Call call;
        while ((call = queue.poll()) != null) {
            ready.add(new WaitingCall(call, arrivals++));
        }
        WaitingCall best = ready.poll();
        return best == null ? null : best.call();
    }

    private boolean runOne(TaskRunner.Call call, Runnable whenFinal) {
        WaitHelper previous = WaitHelper.enter(this);
        try {
            return call.run(whenFinal);
        } finally {
            WaitHelper.restore(previous);
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
                // One park, then look again: a call may have arrived to run here meanwhile.
                if (!Park.once(timed, deadline, this)) {
                    return false;
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
        Park.uninterruptibly(() -> ending.done, this);
    }

    /** Crashes the calls still queued, if no call is running; used when the runner shuts down. */
    public void crashQueued(String runner) {
        shutDownBy = runner; // a call in flight holds the lock: the drain it resumes crashes the rest
        if (!lock.tryTake()) {
            return;
        }
        try {
            TaskRunner.Call call;
            while ((call = next()) != null) {
                call.crash(new RejectedExecutionException(runner + " was shut down before the call ran"));
            }
        } finally {
            lock.release();
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
