package dev.weft.internal;

import dev.weft.Done;
import dev.weft.TaskFuture;
import dev.weft.WaitTimeoutException;
import dev.weft.runner.WaitHelper;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Futures in the order their runs end: {@link TaskFuture#asCompleted} iterates one, and {@link
 * TaskFuture#waitAll} waits on one.
 *
 * <p>Design notes. It registers itself as a {@link Dependent} of every input node. A node that ends (or
 * had ended at registration) claims the next index of an append-only log with one atomic increment and
 * stores itself there, so the log lists the nodes in the order they ended, those that had ended before the
 * call first, in input order. The log has one slot per registration, so it never grows and a writer never
 * waits. The one consumer reads the log in index order and parks while the next slot is empty; a writer
 * stores its slot, then reads {@code waiter} and unparks it (both sides store, then load, all volatile, so
 * one of them sees the other and no wake-up is lost). No thread per input, no polling, no lock.
 *
 * <p>A thread that waits while running a call of a runner that can help (a sequential runner's) runs that
 * runner's queued calls meanwhile, as {@link Node#await()} does, so waiting on a sibling never deadlocks.
 *
 * <p>A future given more than once is registered, and yielded, once per occurrence. Registrations on runs
 * that have not ended when the caller stops waiting stay until those runs end: one link each.
 *
 * @param <T> the type of the runs' values
 */
public final class Completions<T> implements Dependent, Iterable<TaskFuture<T>> {
    private static final VarHandle CLAIMED;
    private static final VarHandle ITERATED;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Node[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLAIMED = lookup.findVarHandle(Completions.class, "claimed", int.class);
            ITERATED = lookup.findVarHandle(Completions.class, "iterated", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String operation;
    private final Node<?>[] log;
    private final Duration timeout;
    private final long deadline;

    /** The consumer's: how many slots of the log it has taken. */
    private int taken;

    @SuppressWarnings("unused") // accessed through CLAIMED
    private volatile int claimed;

    @SuppressWarnings("unused") // accessed through ITERATED
    private volatile boolean iterated;

    private volatile Thread waiter;

    private Completions(String operation, int count, Duration timeout, long deadline) {
        this.operation = operation;
        this.log = new Node<?>[count];
        this.timeout = timeout;
        this.deadline = deadline;
    }

    /**
     * Starts yielding futures in the order their runs end: {@link TaskFuture#asCompleted}.
     *
     * @param futures Weft futures
     * @param timeout how long, from now, the iteration may wait in all; null for no limit
     * @param <T> the type of the runs' values
     * @return a one-shot iterable of the futures
     * @throws IllegalArgumentException if one of the futures is not Weft's
     */
    public static <T> Iterable<TaskFuture<T>> asCompleted(
            Collection<? extends TaskFuture<? extends T>> futures, Duration timeout) {
        Node<?>[] inputs = nodes("asCompleted", futures);
        Completions<T> completions = new Completions<>("asCompleted", inputs.length, timeout, deadline(timeout));
        completions.register(inputs); // keeps no input array: only the links and the log refer to the runs
        return completions;
    }

    /**
     * Waits until every run has ended or the timeout has passed: {@link TaskFuture#waitAll}.
     *
     * @param futures Weft futures
     * @param timeout how long to wait at most; null for no limit
     * @param <T> the type of the runs' values
     * @return the futures whose runs had ended, and the others, each in input order
     * @throws IllegalArgumentException if one of the futures is not Weft's
     */
    public static <T> Done<T> waitAll(Collection<? extends TaskFuture<? extends T>> futures, Duration timeout) {
        Node<?>[] inputs = nodes("waitAll", futures);
        long deadline = deadline(timeout);
        if (!allDone(inputs)) {
            Completions<T> completions = new Completions<>("waitAll", inputs.length, timeout, deadline);
            completions.register(inputs);
            completions.await(() -> completions.ended() == inputs.length);
        }
        return split(inputs);
    }

    private static Node<?>[] nodes(String operation, Collection<? extends TaskFuture<?>> futures) {
        Objects.requireNonNull(futures, "futures");
        Object[] given = futures.toArray(); // one pass, so a concurrent collection gives a consistent copy
        Node<?>[] inputs = new Node<?>[given.length];
        for (int i = 0; i < given.length; i++) {
            inputs[i] = node(operation, given[i]);
        }
        return inputs;
    }

    private static long deadline(Duration timeout) {
        return timeout == null ? 0L : System.nanoTime() + saturatedNanos(timeout);
    }

    private static Node<?> node(String operation, Object future) {
        if (future instanceof Node<?> node) {
            return node;
        }
        if (future == null) {
            throw new NullPointerException(operation + ": a future is null");
        }
        throw new IllegalArgumentException(operation + ": not a Weft future: " + future + " ("
                + future.getClass().getName() + "); only futures returned by Weft can be waited on");
    }

    private void register(Node<?>[] inputs) {
        for (Node<?> node : inputs) {
            if (node.isDone() || !node.addDependent(this)) {
                append(node);
            }
        }
    }

    @Override
    public Node<?> upstreamFinished(Node<?> upstream) {
        append(upstream);
        return null;
    }

    /** Logs a node that has ended; any thread, once per registration; never blocks. */
    private void append(Node<?> node) {
        int index = (int) CLAIMED.getAndAdd(this, 1);
        SLOTS.setVolatile(log, index, node);
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    private Node<?> slot(int index) {
        return (Node<?>) SLOTS.getVolatile(log, index);
    }

    private static boolean allDone(Node<?>[] inputs) {
        for (Node<?> node : inputs) {
            if (!node.isDone()) {
                return false;
            }
        }
        return true;
    }

    private static <T> Done<T> split(Node<?>[] inputs) {
        List<TaskFuture<T>> done = new ArrayList<>(inputs.length);
        List<TaskFuture<T>> notDone = new ArrayList<>();
        for (Node<?> node : inputs) {
            (node.isDone() ? done : notDone).add(future(node));
        }
        return new Done<>(done, notDone);
    }

    // A future of a subtype of T is a future of T: the interface only hands values out.
    @SuppressWarnings("unchecked")
    private static <T> TaskFuture<T> future(Node<?> node) {
        return (TaskFuture<T>) node;
    }

    /**
     * Waits, on the one consumer thread, until {@code arrived} holds or the deadline passes.
     *
     * @return whether {@code arrived} holds
     */
    private boolean await(BooleanSupplier arrived) {
        if (arrived.getAsBoolean()) {
            return true;
        }
        boolean timed = timeout != null;
        if (timed && deadline - System.nanoTime() <= 0) {
            return false; // a helping runner would run its queue first, even past the deadline
        }
        waiter = Thread.currentThread();
        try {
            return WaitHelper.await(
                    arrived,
                    timed,
                    deadline,
                    this,
                    () -> "Interrupted in " + operation + " while waiting for runs to end: " + ended() + " of "
                            + log.length + " futures had ended");
        } finally {
            waiter = null;
        }
    }

    private int ended() {
        return (int) CLAIMED.getVolatile(this);
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return Math.max(0L, timeout.toNanos());
        } catch (ArithmeticException overflow) {
            return timeout.isNegative() ? 0L : Long.MAX_VALUE / 2;
        }
    }

    // ---- iteration --------------------------------------------------------------------------------

    /**
     * Returns the iterator; only once, since the log is consumed as it is read.
     *
     * @throws IllegalStateException on a second call
     */
    @Override
    public Iterator<TaskFuture<T>> iterator() {
        if (!ITERATED.compareAndSet(this, false, true)) {
            throw new IllegalStateException("The futures of asCompleted can be iterated only once;"
                    + " call asCompleted again to iterate them again");
        }
        return new InOrder();
    }

    @Override
    public String toString() {
        return operation + " of " + log.length + " futures, " + ended() + " ended";
    }

    /** Takes the log in order; for one thread at a time, as iterators are. */
    private final class InOrder implements Iterator<TaskFuture<T>> {

        @Override
        public boolean hasNext() {
            return taken < log.length;
        }

        @Override
        public TaskFuture<T> next() {
            int index = taken;
            if (index == log.length) {
                throw new NoSuchElementException("asCompleted has yielded all " + log.length + " futures");
            }
            if (!await(() -> slot(index) != null)) {
                throw new WaitTimeoutException(
                        "asCompleted timed out after " + timeout + ": " + ended() + " of " + log.length
                                + " futures had ended",
                        ended(),
                        log.length);
            }
            Node<?> node = slot(index);
            SLOTS.setRelease(log, index, null); // yielded: the log no longer holds the run
            taken = index + 1;
            return future(node);
        }
    }
}
