package dev.weft.runner;

import dev.weft.InsufficientResourcesException;
import dev.weft.Resources;
import dev.weft.TaskRunner;
import dev.weft.internal.MpscQueue;
import dev.weft.internal.PoolThread;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;

/**
 * Decides where and when a runner's ready calls start: the placement every runner with workers shares, so
 * that resources and priorities mean the same on each of them.
 *
 * <p>A runner has workers, each with a name, resources (such as {@code GPU=1, process=1}) and a number of
 * thread slots; workers need not be alike. A call starts on a worker with a free slot whose free resources
 * cover what the call needs; the slot and the resources are reserved before it starts and given back when
 * it ends, whatever the outcome (the slot as soon as its code returns, the resources when it is final).
 * Among waiting calls, a higher priority starts first and equal priorities keep the order of submission
 * ({@link WaitingCall}). A call that fits no worker's full capacity is refused at once. Waiting holds no
 * thread.
 *
 * {@snippet :
 * Placement placement = Placement.builder("MyRunner")
 *         .workers(4, Resources.NONE, 1)
 *         .worker("gpu-0", Resources.of(Map.of("GPU", 1)), 1)
 *         .launcher(placed -> executor.execute(placed))
 *         .build();
 * }
 *
 * <p>Workers can be added and removed while calls run, when the builder says {@link
 * Builder#workersMayLeave() they may leave}: removing one hands its placed and running calls back to the
 * engine as lost, exactly once each, and the engine places them again.
 *
 * <p>Design notes. Submitted calls go to a lock-free MPSC queue. One {@link DrainFlag} says who matches
 * calls to workers: whichever submitting or releasing thread takes it drains the queue into its waiting
 * lists and starts what fits; the others return at once. Only the flag's holder reserves, after checking,
 * while releases only add; so reservations never exceed capacity. Waiting calls are kept in one priority
 * queue per distinct request ("shape"), since calls of one shape fit or do not fit the same workers: a
 * call that cannot start never blocks a call of another shape behind it. Until a call with a priority or
 * resources comes, on workers that never leave, the queue is the one waiting list: the holder starts calls
 * straight from it, in the order they came ({@code matchInOrder}). The workers are a copy-on-write
 * array; a placed call of a worker that may leave is in that worker's set until it ends or is handed back,
 * and whichever removes it from the set (its end, or the worker's removal) is the one that acts.
 */
public final class Placement {

    /** As many slots as there could ever be calls: a worker whose calls never wait for a thread. */
    public static final int UNBOUNDED_SLOTS = Integer.MAX_VALUE / 2;

    /** Starts a placed call on a thread of the runner's choosing, or sends it away. Must not block. */
    @FunctionalInterface
    public interface Launcher {
        /**
         * Starts the call.
         *
         * @param placed the call with what it holds: {@link Placed#run()} runs it here and gives them back;
         *     a runner that runs it elsewhere calls {@link Placed#begin()} and then {@link Placed#end()}
         */
        void launch(Placed placed);
    }

    /** How a call that gave its slot back waits for a future, such as through a pool's managed blocking. */
    @FunctionalInterface
    public interface Blocking {
        /**
         * Waits until {@code done} holds or the deadline passes.
         *
         * @param done the condition; the waiter is unparked when it may have changed
         * @param timed whether {@code deadline} applies
         * @param deadline a {@link System#nanoTime()} deadline
         * @param call the waiting call's name, for messages
         * @return whether {@code done} holds on return
         */
        boolean block(BooleanSupplier done, boolean timed, long deadline, String call);
    }

    private final String runner;
    private final boolean secede;
    private final Blocking blocking;
    private final boolean continueInline;
    private final boolean callerRuns;
    private final boolean tracked;

    /**
     * Whether a call made ready as another call of this placement ends, on that call's thread, is left in
     * the queue for that thread to take next ({@link #submit}), rather than matched at once: with inline
     * continuation and seceding waits (whose helper hears {@link Placed#callReturned}), on workers that
     * never leave, and without callerRuns.
     */
    private final boolean keepsReadied;

    private final Launcher launcher;
    private final MpscQueue<TaskRunner.Call> incoming = new MpscQueue<>(256);
    private final DrainFlag flag = new DrainFlag();
    // made once: a submit allocates nothing for them
    private final Runnable drainAndMatch = () -> drainAndMatch(false, null, null);
    private final BooleanSupplier pending = this::pending;

    /**
     * Whether a call with a priority or with resources was ever submitted; set before that call is queued
     * (see {@link #matchInOrder}).
     */
    private volatile boolean mixed;

    /** Why waiting calls crash rather than start ({@link #crashWaiting}); null until then. */
    private volatile String closed;

    /** The workers and the shapes measured against them, swapped whole when a worker comes or goes. */
    private volatile Layout layout;

    /** The workers retired for good, with why, for the messages of the calls none left can run. */
    private final List<String> retired = new java.util.concurrent.CopyOnWriteArrayList<>();

    // Touched only by the holder of the flag.
    private Bucket[] buckets = new Bucket[0];
    private final Map<Resources, Bucket> bucketOf = new HashMap<>();
    private Layout bucketsLayout;
    private long sequence;

    /**
     * Whether calls still start straight from the queue, in the order they came ({@link #matchInOrder}):
     * until the first call with a priority or resources, and only where workers never leave.
     */
    private boolean inOrder; // read by pending() too, on the thread that has just dropped the flag

    private Placement(Builder b) {
        this.runner = b.runner;
        this.secede = b.blocking != null;
        this.blocking = b.blocking;
        this.continueInline = b.continueInline;
        this.callerRuns = b.callerRuns;
        this.tracked = b.workersMayLeave;
        this.keepsReadied = continueInline && !callerRuns && !tracked && secede;
        this.launcher = b.launcher;
        Map<String, Integer> index = Map.of();
        for (WorkerSpec w : b.workers) {
            index = Layout.grow(index, w.resources);
        }
        List<Worker> made = new ArrayList<>();
        for (WorkerSpec w : b.workers) {
            made.add(new Worker(w.name, w.resources, w.slots, tracked, index, w.device));
        }
        this.layout = new Layout(index, made.toArray(Worker[]::new));
        this.bucketsLayout = layout;
        this.inOrder = !tracked;
    }

    /**
     * Returns a builder of a runner's placement.
     *
     * @param runner the runner's name, for messages
     * @return the builder
     */
    public static Builder builder(String runner) {
        return new Builder(runner);
    }

    /**
     * Queues a ready call; it starts as soon as a worker fits it. Never blocks.
     *
     * @param call the call
     * @throws InsufficientResourcesException if no worker could ever fit it, naming what it needs and what
     *     the workers have
     */
    public void submit(TaskRunner.Call call) {
        HeldCalls.launch(); // a call held for this thread: it submits again, so it does not wait for that one now
        Layout now = layout; // its workers and its shapes agree, though workers come and go meanwhile
        Shape shape = now.shapeOf(call.resources());
        if (!shape.satisfiable && (!tracked || now.workers.length > 0)) {
            throw new InsufficientResourcesException(unfit(now.workers, call.resources()));
        }
        if (!mixed && (shape != now.none || call.priority() != 0)) {
            mixed = true; // before the offer: a holder that reads it false and then polls may start plain calls first
        }
        incoming.offer(call);
        if (keepsReadied && endingHere()) {
            // Made ready by the end of a call of ours on this thread, which takes the next call right after
            // (takeNext): it runs this one there, as a CompletableFuture runs a dependent stage on the thread
            // that completed it, or hands it on then; meanwhile no other thread is woken for it.
            return;
        }
        if (anyFreeSlot(now.workers)) {
            if (callerRuns) {
                HeldCalls.submitting(call); // placed here, it is held for this thread rather than launched
                try {
                    flag.run(drainAndMatch, pending);
                } finally {
                    HeldCalls.submitting(null);
                }
            } else {
                flag.run(drainAndMatch, pending);
            }
        }
        // Else every slot is taken: the call can only start once one is given back, and whoever gives one
        // back reads the queue after (the offer above comes before this read of the slots, and a slot's
        // release before its reader's look at the queue), so it is seen there.
    }

    /** Whether the calling thread is ending a call of this placement: its code has returned, and no more. */
    private boolean endingHere() {
        return Thread.currentThread() instanceof PoolThread pool
                && pool.helper() instanceof Placed placed
                && placed.ending
                && placed.placement() == this;
    }

    /** Whether some worker has a free slot now; a snapshot. */
    private static boolean anyFreeSlot(Worker[] workers) {
        for (Worker worker : workers) {
            if (worker.freeSlots.get() > 0) {
                return true;
            }
        }
        return false;
    }

    private String unfit(Worker[] all, Resources needs) {
        String gone = retired.isEmpty() ? "" : " (retired: " + String.join("; ", retired) + ")";
        if (all.length == 0) {
            return "No worker of " + runner + " is left to run it" + gone;
        }
        return "No worker of " + runner + " can ever run it: it needs " + needs
                + (all.length == 1 ? ", and its worker has " : ", and its workers have ") + capacities(all) + gone;
    }

    /**
     * Whether the queue holds calls for the flag's holder to look at: any, or, while they start from it in
     * order ({@link #matchInOrder}) and so wait there, any while some worker has a free slot.
     */
    private boolean pending() {
        return !incoming.isEmpty() && (!inOrder || anyFreeSlot(layout.workers));
    }

    /**
     * Under the flag: takes in what was submitted, then starts what waits ({@link #match}), or, once {@link
     * #crashWaiting} was called, crashes it.
     */
    private Placed drainAndMatch(boolean keepFirst, Placed reusable, Placed kept) {
        if (inOrder) {
            if (!mixed && closed == null) {
                return matchInOrder(keepFirst, reusable, kept);
            }
            inOrder = false; // for good: from now on every call waits in its bucket
        }
        drain();
        String why = closed;
        if (why != null) {
            crashAll(why);
            return kept;
        }
        return match(keepFirst, reusable, kept);
    }

    /**
     * Matches waiting calls to workers unless another thread is doing it, as {@link DrainFlag#run} does, but
     * returns the best call that starts instead of launching it, for the calling thread (which has just ended
     * a call) to run next, rather than hand it to another thread of the same runner.
     *
     * @param ended the placed call this thread has just run: where the next one starts on the same worker
     *     with the same needs, it is placed in this one rather than in a new one (see {@link #match})
     */
    private Placed takeNext(Placed ended) {
        Placed kept = null;
        do {
            if (!flag.takeOrMark()) {
                return kept; // the holder looks again after it drops the flag
            }
            try {
                flag.clearDirty();
                kept = drainAndMatch(kept == null, kept == null ? ended : null, kept);
            } finally {
                flag.release();
            }
        } while (pending() || flag.isDirty());
        return kept;
    }

    private void drain() {
        Layout now = layout;
        if (now != bucketsLayout) { // workers came or went: each shape is measured again against them
            bucketsLayout = now;
            for (Bucket bucket : buckets) {
                bucket.shape = now.shapeOf(bucket.shape.resources);
            }
            crashUnfit(now);
        }
        TaskRunner.Call call;
        Bucket last = null;
        while ((call = incoming.poll()) != null) {
            last = waitInBucket(call, now, last);
        }
    }

    /**
     * Under the flag: a call from the queue waits in its bucket, or crashes if no worker can run it; returns
     * its bucket, for the next call ({@code last}: the previous call's, tried first).
     */
    private Bucket waitInBucket(TaskRunner.Call call, Layout now, Bucket last) {
        Resources needs = call.resources();
        Bucket bucket = last != null && last.shape.resources == needs ? last : bucketOf.get(needs);
        if (bucket == null) {
            bucket = new Bucket(now.shapeOf(needs));
            bucketOf.put(needs, bucket);
            buckets = Arrays.copyOf(buckets, buckets.length + 1);
            buckets[buckets.length - 1] = bucket;
        }
        if (!bucket.shape.satisfiable && (!tracked || now.workers.length > 0)) {
            // submitted as the workers that could run it left or were retired
            call.crash(new InsufficientResourcesException(unfit(now.workers, needs)));
            return last;
        }
        bucket.add(call, call.priority(), sequence++);
        return bucket;
    }

    /**
     * Under the flag, while every call submitted has had priority 0 and no resources, on workers that never
     * leave: {@link #match} with the queue as the one level there is, the calls starting in the order they
     * came without waiting in a bucket first. A call with a priority or resources sets {@link #mixed} before
     * it is queued; read false before a poll, it says that any such call was queued after the one polled,
     * which may start first then. The first such call polled ends this for good: it waits in its bucket and
     * the rest of the queue after it.
     */
    private Placed matchInOrder(boolean keepFirst, Placed reusable, Placed kept) {
        Layout now = layout;
        Shape shape = now.none;
        for (; ; ) {
            Worker where = keepFirst && reusable != null && reusable.worker.freeSlots.get() > 0
                    ? reusable.worker // the calling thread runs it next: on the worker it ran its last one on
                    : fit(now.workers, shape);
            if (where == null) {
                return kept;
            }
            TaskRunner.Call call = mixed ? null : incoming.poll();
            if (call == null) {
                if (!mixed) {
                    return kept;
                }
                inOrder = false;
                return drainAndMatch(keepFirst, reusable, kept);
            }
            if (call.resources() != Resources.NONE || call.priority() != 0) {
                inOrder = false; // queued after mixed was read: it waits first, then the calls queued after it
                waitInBucket(call, now, null);
                return drainAndMatch(keepFirst, reusable, kept);
            }
            Placed placed = reserve(where, shape, call, keepFirst ? reusable : null);
            Placed started = start(placed, call, keepFirst);
            if (keepFirst) {
                kept = started;
                keepFirst = false;
            }
        }
    }

    /**
     * Under the flag: a call placed on its worker starts. With {@code keep}, it is returned for the calling
     * thread to run instead; else it is launched (or held for its submitter), and null is returned.
     */
    private Placed start(Placed placed, TaskRunner.Call call, boolean keep) {
        boolean mayHold = callerRuns && call.offerToWaiter(placed);
        if (keep) {
            return placed;
        }
        if (callerRuns) {
            if (mayHold && HeldCalls.isSubmitting(call)) {
                HeldCalls.hold(placed); // its submitter may wait for it at once and run it
            } else {
                placed.launchUnlessTaken();
            }
        } else {
            try {
                launcher.launch(placed);
            } catch (RejectedExecutionException e) {
                placed.rejected(e); // the runner's threads are gone: the call crashes, never waits forever
            }
        }
        return null;
    }

    /**
     * Under the flag: reserves a slot and the shape's resources on {@code where} and places {@code call}
     * there, in {@code reusable} if that was placed on the same worker with the same needs (see {@link
     * #match}), else as {@link #placedOn} does.
     */
    private Placed reserve(Worker where, Shape shape, TaskRunner.Call call, Placed reusable) {
        where.reserve(shape);
        return reusable != null && reusable.worker == where && reusable.shape == shape
                ? reusable.placing(call)
                : placedOn(where, shape, call);
    }

    /** Under the flag: a placed call for {@code call} on a worker, the worker's spare if it has one of that shape. */
    private Placed placedOn(Worker where, Shape shape, TaskRunner.Call call) {
        Placed spare = where.spare;
        if (spare != null && spare.shape == shape) {
            where.spare = null;
            return spare.placing(call);
        }
        return new Placed(call, where, shape);
    }

    /** Under the flag, after workers left: a waiting call that no worker left could ever fit crashes now. */
    private void crashUnfit(Layout now) {
        for (Bucket bucket : buckets) {
            if (!bucket.shape.satisfiable) {
                TaskRunner.Call waiting;
                while ((waiting = bucket.poll()) != null) {
                    waiting.crash(new InsufficientResourcesException(unfit(now.workers, bucket.shape.resources)));
                }
            }
        }
    }

    /**
     * Starts waiting calls, best first, while some worker fits the best head of a shape. With {@code
     * keepFirst}, the first call that starts is returned instead of launched; placed in {@code reusable} if
     * that call starts on its worker with its needs, so that a thread that runs call after call on one worker
     * makes no object for each. Only a placed call that no one else holds is reused: one whose call has
     * ended, on a placement that neither tracks placed calls nor offers them to waiters.
     */
    private Placed match(boolean keepFirst, Placed reusable, Placed kept) {
        Bucket[] all = buckets;
        Worker[] live = layout.workers;
        for (; ; ) {
            Bucket chosen = null;
            Level best = null;
            Worker where = null;
            for (Bucket bucket : all) {
                Level head = bucket.first();
                if (head == null || (best != null && !head.before(best))) {
                    continue;
                }
                Worker fit = fit(live, bucket.shape);
                if (fit != null) {
                    chosen = bucket;
                    best = head;
                    where = fit;
                }
            }
            if (chosen == null) {
                return kept;
            }
            long arrival = best.headArrival();
            TaskRunner.Call call = best.poll();
            Placed placed = reserve(where, chosen.shape, call, keepFirst ? reusable : null);
            if (tracked) {
                int tracking = where.track(placed);
                if (tracking == Worker.WITHDRAWN) {
                    best.addFirst(call, arrival); // its worker left as it was placed there: it waits on, in its place
                    continue;
                }
                if (tracking == Worker.HANDED_BACK) {
                    continue; // the worker's removal handed it back as lost already
                }
            }
            Placed started = start(placed, call, keepFirst);
            if (keepFirst) {
                kept = started;
                keepFirst = false;
            }
        }
    }

    /** Returns the worker with the most free slots among those that fit the shape now, or null. */
    private static Worker fit(Worker[] live, Shape shape) {
        Worker best = null;
        int bestSlots = 0;
        for (Worker worker : live) {
            int slots = worker.freeSlots.get();
            if (slots > bestSlots && worker.fits(shape)) {
                best = worker;
                bestSlots = slots;
            }
        }
        return best;
    }

    private void released() {
        flag.signal(drainAndMatch, pending);
    }

    /**
     * Adds a worker; waiting calls that fit it start there. Only for a placement whose workers {@link
     * Builder#workersMayLeave() may come and go}.
     *
     * @param name the worker's name, unique among the workers
     * @param resources its resources
     * @param slots how many calls it runs at once
     * @throws IllegalArgumentException if a worker of that name is there, or slots is less than 1
     * @throws IllegalStateException if the placement's workers are fixed
     */
    public void addWorker(String name, Resources resources, int slots) {
        requireTracked();
        Builder.check(runner, slots);
        synchronized (this) {
            Worker[] all = layout.workers;
            for (Worker w : all) {
                if (w.name.equals(name)) {
                    throw new IllegalArgumentException(runner + " already has a worker named '" + name + "'");
                }
            }
            Map<String, Integer> index = Layout.grow(layout.index, resources);
            Worker[] more = Arrays.copyOf(all, all.length + 1);
            more[more.length - 1] = new Worker(name, resources, slots, true, index, null);
            layout = new Layout(index, more);
        }
        released();
    }

    /**
     * Removes a worker: it gets nothing more, and each call placed or running on it goes back to the
     * engine as lost ({@link TaskRunner.Call#lost}), exactly once, to be placed again. A waiting call that no
     * worker left could ever run crashes, saying so.
     *
     * @param name the worker's name
     * @param why what happened to it, for the calls' messages, such as {@code its JVM exited}
     * @return how many calls were handed back
     * @throws IllegalArgumentException if there is no worker of that name
     * @throws IllegalStateException if the placement's workers are fixed
     */
    public int removeWorker(String name, String why) {
        requireTracked();
        Worker gone = null;
        synchronized (this) {
            Worker[] all = layout.workers;
            for (int i = 0; i < all.length; i++) {
                if (all[i].name.equals(name)) {
                    gone = all[i];
                    Worker[] fewer = new Worker[all.length - 1];
                    System.arraycopy(all, 0, fewer, 0, i);
                    System.arraycopy(all, i + 1, fewer, i, all.length - i - 1);
                    layout = new Layout(layout.index, fewer);
                    break;
                }
            }
        }
        if (gone == null) {
            throw new IllegalArgumentException(runner + " has no worker named '" + name + "'");
        }
        int handedBack = gone.leave(why);
        released(); // measures the waiting calls against the workers left
        return handedBack;
    }

    /**
     * Takes a worker out of placement for good, as a runner does with a device that is gone: it gets no
     * more calls, and a waiting call that no worker left could ever run crashes, saying so. Unlike {@link
     * #removeWorker}, the calls it holds are not handed back; they end there as they will (on a lost device,
     * with its fault), and their slots go with it. Any placement's workers can be retired.
     *
     * @param name the worker's name
     * @param why what happened to it, for messages, such as {@code its device was lost}
     * @return whether it was there (false: it was retired or removed already)
     */
    public boolean retireWorker(String name, String why) {
        boolean found = false;
        synchronized (this) {
            Worker[] all = layout.workers;
            for (int i = 0; i < all.length; i++) {
                Worker w = all[i];
                if (w.name.equals(name)) {
                    w.goneWhy = why;
                    w.gone = true;
                    Worker[] fewer = new Worker[all.length - 1];
                    System.arraycopy(all, 0, fewer, 0, i);
                    System.arraycopy(all, i + 1, fewer, i, all.length - i - 1);
                    retired.add(name + ": " + why);
                    layout = new Layout(layout.index, fewer);
                    found = true;
                    break;
                }
            }
        }
        if (found) {
            released(); // measures the waiting calls against the workers left
        }
        return found;
    }

    /**
     * Removes a worker if no call is placed on it, as a runner that scales down does: unlike {@link
     * #removeWorker}, it never hands a call back. Only for a placement whose workers {@link
     * Builder#workersMayLeave() may come and go}.
     *
     * @param name the worker's name
     * @return whether it was idle and is gone; false if a call holds one of its slots, or calls are being
     *     placed at this moment (then try again later)
     * @throws IllegalArgumentException if there is no worker of that name
     * @throws IllegalStateException if the placement's workers are fixed
     */
    public boolean removeIdleWorker(String name) {
        requireTracked();
        if (!flag.tryTake()) {
            return false;
        }
        try {
            // Only the flag's holder reserves, so while this thread holds it a worker's free slots can only
            // grow: all of them free means nothing is placed there, nor can be until the flag is released.
            synchronized (this) {
                Worker[] all = layout.workers;
                for (int i = 0; i < all.length; i++) {
                    Worker w = all[i];
                    if (w.name.equals(name)) {
                        if (w.freeSlots.get() < w.slots || !w.placed.isEmpty()) {
                            return false;
                        }
                        w.goneWhy = "removed while idle";
                        w.gone = true;
                        Worker[] fewer = new Worker[all.length - 1];
                        System.arraycopy(all, 0, fewer, 0, i);
                        System.arraycopy(all, i + 1, fewer, i, all.length - i - 1);
                        layout = new Layout(layout.index, fewer);
                        return true;
                    }
                }
            }
            throw new IllegalArgumentException(runner + " has no worker named '" + name + "'");
        } finally {
            flag.release();
            released(); // what was submitted while the flag was held here is matched now
        }
    }

    /**
     * Changes how many calls a worker holds at once: for a runner that sends calls ahead of a worker's
     * threads, as many as it learns keep them busy. Calls it holds over a smaller count stay there; it gets
     * no more until it holds fewer. Only for a placement whose workers {@link Builder#workersMayLeave() may
     * come and go}.
     *
     * @param name the worker's name
     * @param slots its new count, at least 1
     * @return whether the worker was there (false: it left)
     * @throws IllegalArgumentException if slots is less than 1
     * @throws IllegalStateException if the placement's workers are fixed
     */
    public boolean resizeWorker(String name, int slots) {
        requireTracked();
        Builder.check(runner, slots);
        int grown;
        synchronized (this) {
            Worker worker = named(name);
            if (worker == null) {
                return false;
            }
            grown = slots - worker.slots;
            if (grown > 0) {
                worker.slots = slots; // the count first: a look between the two sees fewer free, not more
                worker.freeSlots.addAndGet(grown);
            } else {
                worker.freeSlots.addAndGet(grown);
                worker.slots = slots;
            }
        }
        if (grown > 0) {
            released(); // waiting calls may fit now
        }
        return true;
    }

    /**
     * Returns how many of a worker's thread slots hold a call now; a snapshot.
     *
     * @param name the worker's name
     * @return the count, or -1 if there is no worker of that name
     */
    public int busySlots(String name) {
        Worker w = named(name);
        return w == null ? -1 : w.slots - w.freeSlots.get();
    }

    /** Returns the worker of that name now, or null. */
    private Worker named(String name) {
        for (Worker w : layout.workers) {
            if (w.name.equals(name)) {
                return w;
            }
        }
        return null;
    }

    private void requireTracked() {
        if (!tracked) {
            throw new IllegalStateException(
                    runner + "'s workers are fixed; build its placement with workersMayLeave() to add or remove them");
        }
    }

    /**
     * Ends, as crashed, every call that is still waiting, and every call submitted later, none of which
     * starts any more; used when the runner shuts down or its workers are gone for good. Where another
     * thread is placing calls at that moment, that thread crashes them once it looks again, instead of
     * starting one, as a thread that ended a call would have run the next.
     *
     * @param why what to tell them
     */
    public void crashWaiting(String why) {
        closed = why;
        flag.signal(drainAndMatch, pending);
    }

    /** Under the flag, once {@link #crashWaiting} was called: crashes what waits rather than start it. */
    private void crashAll(String why) {
        for (Bucket bucket : buckets) {
            TaskRunner.Call waiting;
            while ((waiting = bucket.poll()) != null) {
                waiting.crash(new IllegalStateException(why));
            }
        }
    }

    /**
     * Describes the workers, for the runner's start line: {@code 2 workers x 1 thread, each with {GPU=1}},
     * or for differing workers {@code 4 workers x 1 thread and 1 worker x 1 thread, with {GPU=1}}.
     *
     * @return the description
     */
    public String describeWorkers() {
        Map<Kind, Integer> kinds = new LinkedHashMap<>(); // alike workers, in the order they were added
        for (Worker w : layout.workers) {
            kinds.merge(new Kind(w.slots, w.capacity), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        kinds.forEach((kind, n) -> {
            String threads = kind.slots >= UNBOUNDED_SLOTS
                    ? "any number of threads"
                    : kind.slots + (kind.slots == 1 ? " thread" : " threads");
            parts.add(n
                    + (n == 1 ? " worker x " : " workers x ")
                    + threads
                    + (kind.capacity.isEmpty() ? "" : (n == 1 ? ", with " : ", each with ") + kind.capacity));
        });
        return parts.isEmpty() ? "no workers" : String.join(" and ", parts);
    }

    /** What makes workers alike in a description: their thread slots and their resources. */
    private record Kind(int slots, Resources capacity) {}

    private static String capacities(Worker[] all) {
        Set<String> distinct = new LinkedHashSet<>();
        for (Worker worker : all) {
            distinct.add(worker.capacity.toString());
        }
        return String.join(" or ", distinct);
    }

    @Override
    public String toString() {
        return "Placement of " + runner + ": " + describeWorkers();
    }

    // ---- configuration ----------------------------------------------------------------------------

    private record WorkerSpec(String name, Resources resources, int slots, Accelerator device) {}

    /** The settings of a placement, checked once, when it is built. */
    public static final class Builder {
        private final String runner;
        private final List<WorkerSpec> workers = new ArrayList<>();
        private Blocking blocking;
        private boolean continueInline = true;
        private boolean callerRuns;
        private boolean workersMayLeave;
        private Launcher launcher;

        private Builder(String runner) {
            this.runner = Objects.requireNonNull(runner, "runner");
        }

        /**
         * Adds a worker.
         *
         * @param name its name, unique among the workers, such as {@code gpu-0}
         * @param resources what it has, such as {@code GPU=1}
         * @param slots how many calls it runs at once, or {@link #UNBOUNDED_SLOTS}
         * @return this builder
         */
        public Builder worker(String name, Resources resources, int slots) {
            workers.add(new WorkerSpec(
                    Objects.requireNonNull(name, "name"), Objects.requireNonNull(resources, "resources"), slots, null));
            return this;
        }

        /**
         * Lets the thread that waits for a call run it ({@link TaskRunner.Call#offerToWaiter}), on its
         * worker, holding its slot and resources as anywhere. A call placed as its submitter submits it is
         * held for that thread for a moment instead of launched: if the thread then waits for it without a
         * time limit, outside any task run, it runs it itself, and no thread of the runner is woken; if it
         * submits again or waits for anything else, the call is launched then, and at the latest within two
         * milliseconds, for a thread that went on to other work. A call placed later (when a slot comes
         * free) is launched at once, and still runs on its caller's thread if that thread takes it first.
         * For workers whose calls are short and whose callers wait for them at once, such as small kernels
         * on a device: the call is spared the hand-offs to a runner's thread and back. Off by default, and
         * only for calls run on this JVM's threads ({@link Placed#run}), never with {@link
         * #workersMayLeave()}.
         *
         * @return this builder
         */
        public Builder callerRuns() {
            this.callerRuns = true;
            return this;
        }

        /**
         * Adds a worker that is a device: each call placed on it runs inside {@link Accelerator#run}, with
         * the device as its own, on whichever thread runs it.
         *
         * @param device the device, which names the worker
         * @param resources what the worker has, such as {@code GPU=1}
         * @param slots how many calls it runs at once
         * @return this builder
         */
        public Builder worker(Accelerator device, Resources resources, int slots) {
            workers.add(new WorkerSpec(device.name(), Objects.requireNonNull(resources, "resources"), slots, device));
            return this;
        }

        /**
         * Adds {@code count} alike workers, named {@code worker-<n>} from the number of workers so far.
         *
         * @param count how many
         * @param resources what each has
         * @param slots how many calls each runs at once
         * @return this builder
         */
        public Builder workers(int count, Resources resources, int slots) {
            for (int i = 0; i < count; i++) {
                worker("worker-" + workers.size(), resources, slots);
            }
            return this;
        }

        /**
         * Returns how many workers were added so far.
         *
         * @return the number of workers
         */
        public int size() {
            return workers.size();
        }

        /**
         * Makes a call that waits for a future give its thread slot back meanwhile (as Dask's {@code
         * secede}), waiting through {@code blocking}: calls that wait for calls they submitted then never
         * deadlock the runner.
         *
         * @param blocking how the thread waits, such as through a pool's managed blocking
         * @return this builder
         */
        public Builder secede(Blocking blocking) {
            this.blocking = Objects.requireNonNull(blocking, "blocking");
            return this;
        }

        /**
         * Sets whether a thread that has run a placed call then runs the best waiting call that can start
         * itself, rather than launching it on another thread. On by default.
         *
         * @param inline whether to
         * @return this builder
         */
        public Builder continueInline(boolean inline) {
            this.continueInline = inline;
            return this;
        }

        /**
         * Lets workers be added and removed while calls run ({@link #addWorker}, {@link #removeWorker}):
         * placed calls are tracked, to be handed back if their worker leaves. A call that no worker fits is
         * still refused at once, unless there are no workers at all yet (then it waits for the first); a
         * waiting call that no worker left could ever run crashes when the last that could leaves.
         *
         * @return this builder
         */
        public Builder workersMayLeave() {
            this.workersMayLeave = true;
            return this;
        }

        /**
         * Sets what starts placed calls. Required.
         *
         * @param launcher the launcher
         * @return this builder
         */
        public Builder launcher(Launcher launcher) {
            this.launcher = Objects.requireNonNull(launcher, "launcher");
            return this;
        }

        /**
         * Checks the settings and builds the placement.
         *
         * @return the placement
         * @throws IllegalArgumentException naming the setting, for no workers (unless they may come later),
         *     a worker with fewer than one slot, two workers of one name, or no launcher
         */
        public Placement build() {
            if (workers.isEmpty() && !workersMayLeave) {
                throw new IllegalArgumentException(runner + " needs at least one worker");
            }
            Set<String> names = new java.util.HashSet<>();
            for (WorkerSpec w : workers) {
                check(runner, w.slots);
                if (!names.add(w.name)) {
                    throw new IllegalArgumentException(runner + " has two workers named '" + w.name + "'");
                }
            }
            if (launcher == null) {
                throw new IllegalArgumentException(runner + "'s placement needs a launcher");
            }
            if (callerRuns && workersMayLeave) {
                throw new IllegalArgumentException(runner + "'s placement cannot let callers run calls: its"
                        + " workers may leave, so its calls run elsewhere, and a caller runs a call on its own thread");
            }
            return new Placement(this);
        }

        static void check(String runner, int slots) {
            if (slots < 1) {
                throw new IllegalArgumentException(runner + " needs at least one thread per worker, not " + slots);
            }
        }
    }

    // ---- shapes and workers -----------------------------------------------------------------------

    /**
     * The resource names workers have had, indexed (names are only ever appended, so a worker's amounts
     * keep their places), and the shapes measured against the workers of the moment.
     */
    private static final class Layout {
        final Worker[] workers;
        final Map<String, Integer> index;
        final ConcurrentHashMap<Resources, Shape> shapes = new ConcurrentHashMap<>();

        /** The shape of calls that need nothing, the most common one. */
        private final Shape none;

        Layout(Map<String, Integer> index, Worker[] workers) {
            this.index = index;
            this.workers = workers;
            this.none = shapeOf(Resources.NONE);
        }

        /** Returns the index with the names of {@code resources} it lacks appended. */
        static Map<String, Integer> grow(Map<String, Integer> index, Resources resources) {
            TreeSet<String> added = new TreeSet<>(resources.asMap().keySet());
            added.removeAll(index.keySet());
            if (added.isEmpty()) {
                return index;
            }
            Map<String, Integer> grown = new HashMap<>(index);
            for (String name : added) {
                grown.put(name, grown.size());
            }
            return Map.copyOf(grown);
        }

        Shape shapeOf(Resources resources) {
            Shape none = this.none;
            if (resources == Resources.NONE && none != null) {
                return none;
            }
            Shape shape = shapes.get(resources);
            return shape != null ? shape : shapes.computeIfAbsent(resources, this::newShape);
        }

        private Shape newShape(Resources resources) {
            long[] need = new long[index.size()];
            boolean known = true;
            for (Map.Entry<String, Double> e : resources.asMap().entrySet()) {
                Integer i = index.get(e.getKey());
                if (i == null) {
                    known = false;
                } else {
                    need[i] = amount(e.getValue());
                }
            }
            boolean satisfiable = false;
            if (known) {
                for (Worker worker : workers) {
                    satisfiable |= resources.fitsIn(worker.capacity);
                }
            }
            return new Shape(resources, need, known, satisfiable);
        }
    }

    private static long amount(double value) {
        return Math.round(value * 1_000_000d);
    }

    /** What a call needs, as amounts indexed like the layout's resources. */
    private static final class Shape {
        final Resources resources;
        final long[] need;
        final boolean known;
        final boolean satisfiable;
        final boolean empty;

        Shape(Resources resources, long[] need, boolean known, boolean satisfiable) {
            this.resources = resources;
            this.need = need;
            this.known = known;
            this.satisfiable = satisfiable;
            this.empty = resources.isEmpty();
        }
    }

    /**
     * The calls of one shape that wait: a FIFO queue per priority level, levels highest first. Levels are
     * few, and a level's queue is kept once made, so adding and taking are O(1) in the common case.
     */
    private static final class Bucket {
        Shape shape;
        private Level[] levels = new Level[0]; // highest priority first

        Bucket(Shape shape) {
            this.shape = shape;
        }

        void add(TaskRunner.Call call, int priority, long arrival) {
            Level[] ls = levels;
            int i = 0;
            while (i < ls.length && ls[i].priority > priority) {
                i++;
            }
            if (i == ls.length || ls[i].priority != priority) {
                Level[] more = new Level[ls.length + 1];
                System.arraycopy(ls, 0, more, 0, i);
                more[i] = new Level(priority);
                System.arraycopy(ls, i, more, i + 1, ls.length - i);
                levels = ls = more;
            }
            ls[i].addLast(call, arrival);
        }

        /** Returns the highest level that holds a call, or null. */
        Level first() {
            for (Level level : levels) {
                if (level.size > 0) {
                    return level;
                }
            }
            return null;
        }

        TaskRunner.Call poll() {
            Level level = first();
            return level == null ? null : level.poll();
        }
    }

    /**
     * The waiting calls of one shape and one priority, in arrival order: linked segments, each a run of
     * calls beside their arrival numbers, so that a waiting call costs two array slots and no object of its
     * own. A segment emptied at the head is kept as the level's spare and is the next one its tail needs, so
     * a level that calls keep passing through holds as many segments as calls wait in it at once, and makes
     * no more, nor copies any call as it grows.
     */
    private static final class Level {
        /** The calls a segment holds. */
        private static final int SEGMENT = 256;

        final int priority;
        /** The segment of the first call; {@code tail} is the one of the last, or the same one. */
        private Segment head = new Segment();

        private Segment tail = head;
        /** An emptied segment kept for the tail's next one, or null. */
        private Segment spare;
        /** Where in {@code head} the first call is, and where in {@code tail} the next one goes. */
        private int first;

        private int next;
        int size;

        Level(int priority) {
            this.priority = priority;
        }

        /** Whether this level's first call comes before {@code other}'s ({@link WaitingCall}'s rule). */
        boolean before(Level other) {
            return priority != other.priority ? priority > other.priority : headArrival() < other.headArrival();
        }

        long headArrival() {
            return head.arrivals[first];
        }

        void addLast(TaskRunner.Call call, long arrival) {
            if (next == SEGMENT) {
                Segment more = segment();
                tail.next = more;
                tail = more;
                next = 0;
            }
            tail.calls[next] = call;
            tail.arrivals[next] = arrival;
            next++;
            size++;
        }

        void addFirst(TaskRunner.Call call, long arrival) {
            if (first == 0) {
                if (size == 0) { // nothing waits: the call goes in the head segment's first slot
                    next = 1;
                    head.calls[0] = call;
                    head.arrivals[0] = arrival;
                    size = 1;
                    return;
                }
                Segment before = segment();
                before.next = head;
                head = before;
                first = SEGMENT;
            }
            first--;
            head.calls[first] = call;
            head.arrivals[first] = arrival;
            size++;
        }

        TaskRunner.Call poll() {
            if (size == 0) {
                return null;
            }
            Segment at = head;
            TaskRunner.Call call = at.calls[first];
            at.calls[first] = null;
            first++;
            if (--size == 0) { // empty: start again at the head segment's first slot, the rest kept as the spare
                if (at != tail) {
                    spare = tail;
                    tail = at;
                }
                at.next = null;
                first = 0;
                next = 0;
            } else if (first == SEGMENT) {
                head = at.next;
                at.next = null;
                spare = at;
                first = 0;
            }
            return call;
        }

        /** The spare segment, or a new one. */
        private Segment segment() {
            Segment s = spare;
            if (s == null) {
                return new Segment();
            }
            spare = null;
            return s;
        }
    }

    /** A run of a level's waiting calls and their arrival numbers; empty slots hold null. */
    private static final class Segment {
        final TaskRunner.Call[] calls = new TaskRunner.Call[Level.SEGMENT];
        final long[] arrivals = new long[Level.SEGMENT];
        Segment next;
    }

    /**
     * A worker: its name and capacity, and what of it is free. Releases add; only the flag's holder takes.
     * Its free amounts are indexed by the layout it was last measured in.
     */
    private static final class Worker {
        final String name;
        final Resources capacity;
        /** The device its calls run with, or null. */
        final Accelerator device;
        /** How many calls it holds at most; changed only under the placement's lock. */
        volatile int slots;

        final AtomicInteger freeSlots;
        final Set<Placed> placed;
        final AtomicLongArray free;
        volatile boolean gone;
        volatile String goneWhy;

        /**
         * A placed call of this worker that has ended, for the next call placed here with its needs to go in
         * (see {@link #match}); only on placements whose placed calls no one else holds. Taken under the
         * placement's flag; a spare written over is left to the collector.
         */
        volatile Placed spare;

        Worker(
                String name,
                Resources capacity,
                int slots,
                boolean tracked,
                Map<String, Integer> index,
                Accelerator device) {
            this.name = name;
            this.device = device;
            this.capacity = capacity;
            this.slots = slots;
            this.freeSlots = new AtomicInteger(slots);
            this.placed = tracked ? ConcurrentHashMap.newKeySet() : null;
            this.free = new AtomicLongArray(index.size()); // names appended later are ones it has none of
            for (Map.Entry<String, Double> e : capacity.asMap().entrySet()) {
                free.set(index.get(e.getKey()), amount(e.getValue()));
            }
        }

        boolean fits(Shape shape) {
            if (shape.empty) {
                return true;
            }
            if (!shape.known || gone) {
                return false;
            }
            long[] need = shape.need;
            AtomicLongArray f = free;
            for (int i = 0; i < need.length; i++) {
                if (need[i] > 0 && (i >= f.length() || f.get(i) < need[i])) {
                    return false;
                }
            }
            return true;
        }

        void reserve(Shape shape) {
            freeSlots.decrementAndGet();
            if (!shape.empty) {
                long[] need = shape.need;
                AtomicLongArray f = free;
                for (int i = 0; i < need.length; i++) {
                    if (need[i] > 0) {
                        f.addAndGet(i, -need[i]);
                    }
                }
            }
        }

        void releaseResources(Shape shape) {
            long[] need = shape.need;
            AtomicLongArray f = free;
            for (int i = 0; i < need.length && i < f.length(); i++) {
                if (need[i] > 0) {
                    f.addAndGet(i, need[i]);
                }
            }
        }

        /**
         * Tracks a call placed here: {@code TRACKED}; {@code WITHDRAWN} if the worker has left, and then the
         * call was not given to it; {@code HANDED_BACK} if the worker's removal found it and handed it back.
         */
        int track(Placed p) {
            if (gone) {
                return WITHDRAWN;
            }
            placed.add(p);
            if (!gone) {
                return TRACKED;
            }
            return placed.remove(p) ? WITHDRAWN : HANDED_BACK;
        }

        static final int TRACKED = 0;
        static final int WITHDRAWN = 1;
        static final int HANDED_BACK = 2;

        /** The worker leaves: every call still tracked here goes back as lost, once. */
        int leave(String why) {
            goneWhy = why;
            gone = true;
            int n = 0;
            for (Placed p : placed) {
                if (placed.remove(p)) {
                    n++;
                    p.call.lost(name, new WorkerLostException(lostMessage(why)));
                }
            }
            return n;
        }

        private String lostMessage(String why) {
            return "worker '" + name + "' left" + (why == null || why.isEmpty() ? "" : ": " + why);
        }
    }

    /**
     * A call placed on a worker, holding a slot and its resources there.
     *
     * <p>A runner that runs calls on its own threads calls {@link #run()}: the call runs there, then gives
     * back what it holds; while it runs, the placement is its thread's {@link WaitHelper}, so that a
     * seceding wait gives the slot back. A runner that runs calls elsewhere calls {@link #begin()} when the
     * call starts there and {@link #end()} once it has ended the call with its outcome.
     *
     * <p>It is a {@link ForkJoinTask} so that a fork-join pool takes it without a wrapper (one object per
     * call fewer), and a plain {@link Runnable} for any other thread; nothing else of fork-join is used
     * here, and as a task it never completes. Once {@link #run()} has returned, the next call placed on its
     * worker may go in it, on a placement whose workers never leave and whose calls are not offered to
     * their waiters: a launcher keeps no placed call after it ran.
     */
    public final class Placed extends ForkJoinTask<Void> implements Runnable, WaitHelper {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * With {@link Builder#callerRuns()}, the fork-join tag says who has the call: no one yet, or its
         * launcher, or a thread that took it to run (the runner's, or the caller's); the first to take it runs
         * it.
         */
        private static final short TAKEN = 1;

        private static final short LAUNCHED = 2;

        /** Changed only by the thread that runs it, for the next call it runs in it (see {@link #match}). */
        private transient TaskRunner.Call call;

        /**
         * Whether the call's code has returned and only its ending is left ({@link #callReturned}); read and
         * written only by the thread that runs it.
         */
        private transient boolean ending;

        private final transient Worker worker;
        private final transient Shape shape;

        Placed(TaskRunner.Call call, Worker worker, Shape shape) {
            this.call = call;
            this.worker = worker;
            this.shape = shape;
        }

        /** Holds the next call that the thread running this one runs in it; see {@link #match}. */
        private Placed placing(TaskRunner.Call next) {
            this.call = next;
            return this;
        }

        /**
         * Returns the placed call.
         *
         * @return the call
         */
        public TaskRunner.Call call() {
            return call;
        }

        /**
         * Returns the name of the worker the call was placed on.
         *
         * @return the worker's name
         */
        public String worker() {
            return worker.name;
        }

        /**
         * Runs the call here, then gives back its slot (and its resources once it is final); then, with
         * inline continuation, runs here in turn the best waiting call that can start, rather than handing it
         * to another thread.
         */
        @Override
        public void run() {
            if (callerRuns) {
                HeldCalls.launchExcept(this); // a call held for this thread, if another, runs meanwhile
            }
            Placed at = this;
            for (Placed next; (next = at.runOnce()) != null; ) {
                at = next;
            }
            if (!tracked && !callerRuns) {
                // No one else holds it (see match), and its fork-join task never completes (see exec): the next
                // call placed on its worker with its needs may go in it, as this thread's next call would have.
                at.call = null; // the ended call is not kept alive by the spare
                at.worker.spare = at;
            }
        }

        /** The placement it belongs to. */
        private Placement placement() {
            return Placement.this;
        }

        @Override
        public void callReturned(TaskRunner.Call returned) {
            if (returned == call && keepsReadied) {
                ending = true; // the calls its end makes ready wait for this thread (see submit)
            }
        }

        private Placed runOnce() {
            ending = false;
            if (callerRuns && !take()) {
                return null; // the thread that waited for it runs it, or ran it
            }
            if (worker.placed != null && !worker.placed.contains(this)) {
                return null; // its worker left before it began: it went back as lost
            }
            Runnable whenFinal = shape.empty ? null : this::releaseResources;
            WaitHelper previous = secede ? WaitHelper.enter(this) : null;
            boolean finalNow = true;
            boolean returned = false;
            try {
                Accelerator device = worker.device;
                finalNow = device == null ? call.run(whenFinal) : device.run(() -> call.run(whenFinal));
                returned = true;
            } finally {
                if (secede) {
                    WaitHelper.restore(previous);
                }
                if (worker.placed != null) {
                    worker.placed.remove(this);
                }
                worker.freeSlots.incrementAndGet(); // then the queue is read (see submit)
                if (finalNow && !shape.empty) {
                    worker.releaseResources(shape);
                }
                if (!returned) {
                    released(); // the call broke its contract and threw: still start what waits
                }
            }
            if (continueInline) {
                return takeNext(tracked || callerRuns ? null : this);
            }
            released();
            return null;
        }

        /** Takes the call to run it, unless a thread took it first; with callerRuns only. */
        private boolean take() {
            short tag;
            while ((tag = getForkJoinTaskTag()) != TAKEN) {
                if (compareAndSetForkJoinTaskTag(tag, TAKEN)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether a thread took the call to run it; with callerRuns only. */
        boolean isTaken() {
            return getForkJoinTaskTag() == TAKEN;
        }

        /** Hands the call to the launcher, unless a thread took it or it was handed already; with callerRuns. */
        void launchUnlessTaken() {
            if (!compareAndSetForkJoinTaskTag((short) 0, LAUNCHED)) {
                return;
            }
            try {
                launcher.launch(this);
            } catch (RejectedExecutionException e) {
                rejected(e); // the runner's threads are gone: the call crashes, never waits forever
            }
        }

        /**
         * For a runner that runs the call elsewhere: the call starts there now.
         *
         * @return true if the call now runs; false if it must not run (it was cancelled or timed out, or its
         *     worker left and it went back as lost), and then nothing more is to be done with it
         */
        public boolean begin() {
            if (worker.placed != null && !worker.placed.contains(this)) {
                return false;
            }
            if (call.started()) {
                return true;
            }
            end();
            return false;
        }

        /**
         * For a runner that runs the call elsewhere: the call has ended there and the runner has given the
         * engine its outcome ({@link TaskRunner.Call#complete}, {@link TaskRunner.Call#fail}); gives back
         * its slot and resources. Does nothing if its worker left (the call was handed back as lost).
         *
         * @return whether this placement still held the call (false: an outcome that came too late)
         */
        public boolean end() {
            if (worker.placed != null && !worker.placed.remove(this)) {
                return false;
            }
            worker.freeSlots.incrementAndGet();
            if (!shape.empty) {
                worker.releaseResources(shape);
            }
            released();
            return true;
        }

        /**
         * Returns whether the placement still holds the call: false once its worker left.
         *
         * @return whether the call is still placed here
         */
        public boolean held() {
            return worker.placed == null || worker.placed.contains(this);
        }

        /**
         * Runs the call as a fork-join task, which never completes as such: no one joins a placed call, and a
         * task left incomplete can be run again (see {@link Worker#spare}), while a completed one could not,
         * and completing it after the run would race with a next use of it that began meanwhile.
         */
        @Override
        protected boolean exec() {
            run();
            return false;
        }

        @Override
        public Void getRawResult() {
            return null;
        }

        @Override
        protected void setRawResult(Void value) {}

        private void releaseResources() {
            worker.releaseResources(shape);
            released();
        }

        /**
         * Crashes the call instead of running it, giving back what it holds; for a launcher that cannot
         * start it.
         *
         * @param cause why
         */
        public void crash(Throwable cause) {
            if (end()) {
                call.crash(cause);
            }
        }

        /** The launcher refused the call: crashes it and gives back what it holds, placing nothing more. */
        void rejected(RejectedExecutionException cause) {
            if (callerRuns && !take()) {
                return; // the thread that waits for it runs it
            }
            if (worker.placed != null && !worker.placed.remove(this)) {
                return;
            }
            worker.freeSlots.incrementAndGet();
            if (!shape.empty) {
                worker.releaseResources(shape);
            }
            call.crash(new IllegalStateException("The task runner could not start the call: " + cause, cause));
        }

        /** Gives the slot back while the call waits, and takes it again after, possibly over the count. */
        @Override
        public boolean helpUntil(BooleanSupplier done, boolean timed, long deadline) {
            worker.freeSlots.incrementAndGet();
            released();
            try {
                return blocking.block(done, timed, deadline, call.name());
            } finally {
                worker.freeSlots.decrementAndGet();
            }
        }
    }

    /** Why a call went back as lost: its worker left. */
    public static final class WorkerLostException extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what happened, naming the worker
         */
        public WorkerLostException(String message) {
            super(message, null, false, false);
        }
    }
}
