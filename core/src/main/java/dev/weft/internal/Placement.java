package dev.weft.internal;

import dev.weft.InsufficientResourcesException;
import dev.weft.Resources;
import dev.weft.TaskRunner;
import dev.weft.WeftException;
import java.io.Serial;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Decides where and when a runner's ready calls start: the placement that every runner with workers
 * shares, so that resources and priorities mean the same on each of them.
 *
 * <p>A runner has workers; each has resources (such as {@code GPU=1, process=1}) and a number of thread
 * slots. A call starts on a worker with a free slot whose free resources cover what the call needs; the
 * slot and the resources are reserved before it starts and given back when it ends, whatever the outcome
 * (the slot as soon as its code returns, the resources when it is final). Among waiting calls, a higher
 * priority starts first and equal priorities keep the order of submission. A call that fits no worker's
 * full capacity is refused at once. Waiting holds no thread.
 *
 * <p>Design notes. Submitted calls go to a lock-free MPSC queue. One CAS-taken flag says who matches calls
 * to workers: whichever submitting or releasing thread wins it drains the queue into its waiting lists and
 * starts what fits; the others return at once, and the winner looks again after dropping the flag, so no
 * call and no release is left unseen (the flag is dropped with a volatile store for that reason). Only the
 * flag's holder reserves, after checking, while releases only add; so reservations never exceed capacity.
 * Waiting calls are kept in one priority queue per distinct request ("shape"), since calls of one shape fit
 * or do not fit the same workers: a call that cannot start never blocks a call of another shape behind it.
 *
 * <p>With {@code secede}, a call that waits for a future gives its thread slot back while it waits (as
 * Dask's {@code secede}), and blocks through {@link ForkJoinPool#managedBlock}, so a fork-join pool adds a
 * thread meanwhile: calls that wait for calls they submitted never deadlock the runner.
 */
public final class Placement {
    private static final VarHandle LOCK;
    private static final VarHandle DIRTY;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LOCK = lookup.findVarHandle(Placement.class, "lock", int.class);
            DIRTY = lookup.findVarHandle(Placement.class, "dirty", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** As many slots as there could ever be calls: a worker whose calls never wait for a thread. */
    public static final int UNBOUNDED_SLOTS = Integer.MAX_VALUE / 2;

    /** Starts a placed call on a thread of the runner's choosing. Must not block, nor run it inline. */
    @FunctionalInterface
    public interface Launcher {
        /**
         * Starts the call.
         *
         * @param placed the call with what it holds; its {@link Placed#run()} runs it and gives them back
         */
        void launch(Placed placed);
    }

    private final String runner;
    private final Worker[] workers;
    private final Map<String, Integer> resourceIndex;
    private final boolean secede;
    private final boolean continueInline;
    private final Launcher launcher;
    private final ConcurrentHashMap<Resources, Shape> shapes = new ConcurrentHashMap<>();
    private final MpscQueue<TaskRunner.Call> incoming = new MpscQueue<>(256);

    // Touched only by the holder of the flag.
    private Bucket[] buckets = new Bucket[0];
    private final Map<Shape, Bucket> bucketOf = new HashMap<>();
    private long sequence;

    @SuppressWarnings("unused") // accessed through LOCK
    private volatile int lock;

    @SuppressWarnings("unused") // accessed through DIRTY
    private volatile int dirty;

    /**
     * Creates the placement of a runner.
     *
     * @param runner the runner's name, for messages
     * @param workerResources each worker's resources, one entry per worker
     * @param slotsPerWorker how many calls a worker runs at once, or {@link #UNBOUNDED_SLOTS}
     * @param secede whether a call that waits gives its slot back meanwhile
     * @param continueInline whether a thread that has run a placed call then runs the best waiting call
     *     that can start itself, instead of launching it on another thread
     * @param launcher starts placed calls
     */
    public Placement(
            String runner,
            List<Resources> workerResources,
            int slotsPerWorker,
            boolean secede,
            boolean continueInline,
            Launcher launcher) {
        if (workerResources.isEmpty()) {
            throw new IllegalArgumentException(runner + " needs at least one worker");
        }
        if (slotsPerWorker < 1) {
            throw new IllegalArgumentException(runner + " needs at least one thread per worker, not " + slotsPerWorker);
        }
        this.runner = runner;
        this.secede = secede;
        this.continueInline = continueInline;
        this.launcher = launcher;
        TreeSet<String> names = new TreeSet<>();
        workerResources.forEach(r -> names.addAll(r.asMap().keySet()));
        this.resourceIndex = new HashMap<>();
        for (String name : names) {
            resourceIndex.put(name, resourceIndex.size());
        }
        this.workers = new Worker[workerResources.size()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i, workerResources.get(i), vector(workerResources.get(i)), slotsPerWorker);
        }
    }

    /**
     * Queues a ready call; it starts as soon as a worker fits it. Never blocks.
     *
     * @param call the call
     * @throws IllegalArgumentException if no worker could ever fit it, naming what it needs and what the
     *     workers have
     */
    public void submit(TaskRunner.Call call) {
        Shape shape = shapeOf(call.resources());
        if (!shape.satisfiable) {
            throw new InsufficientResourcesException("No worker of " + runner + " can ever run it: it needs "
                    + call.resources() + (workers.length == 1 ? ", and its worker has " : ", and its workers have ")
                    + capacities());
        }
        incoming.offer(call);
        schedule();
    }

    /** Matches waiting calls to workers, unless another thread is doing it. */
    private void schedule() {
        schedule(false);
    }

    /**
     * Matches waiting calls to workers, unless another thread is doing it. With {@code inline}, the best
     * call that starts is returned instead of launched, for the calling thread to run next (it has just
     * finished one and would otherwise hand the call to another thread of the same runner).
     */
    private Placed schedule(boolean inline) {
        Placed kept = null;
        for (; ; ) {
            if (!LOCK.compareAndSet(this, 0, 1)) {
                return kept;
            }
            try {
                DIRTY.getAndSet(this, 0); // reads the releases that made it dirty
                drain();
                kept = match(inline && kept == null, kept);
            } finally {
                // Volatile, not release: the queue and the dirty flag are read next, and a release store
                // could pass those reads, leaving a submission or a release of a thread that lost the CAS
                // unseen by everyone.
                LOCK.setVolatile(this, 0);
            }
            if (incoming.isEmpty() && (int) DIRTY.getVolatile(this) == 0) {
                return kept;
            }
        }
    }

    private void drain() {
        TaskRunner.Call call;
        while ((call = incoming.poll()) != null) {
            Shape shape = shapeOf(call.resources());
            Bucket bucket = bucketOf.get(shape);
            if (bucket == null) {
                bucket = new Bucket(shape);
                bucketOf.put(shape, bucket);
                buckets = Arrays.copyOf(buckets, buckets.length + 1);
                buckets[buckets.length - 1] = bucket;
            }
            bucket.add(new Waiting(call, call.priority(), sequence++));
        }
    }

    /**
     * Starts waiting calls, best first, while some worker fits the best head of a shape. With {@code
     * keepFirst}, the first call that starts is returned instead of launched.
     */
    private Placed match(boolean keepFirst, Placed kept) {
        Bucket[] all = buckets;
        for (; ; ) {
            Bucket chosen = null;
            Waiting best = null;
            Worker where = null;
            for (Bucket bucket : all) {
                Waiting head = bucket.peek();
                if (head == null || (best != null && !head.before(best))) {
                    continue;
                }
                Worker fit = fit(bucket.shape);
                if (fit != null) {
                    chosen = bucket;
                    best = head;
                    where = fit;
                }
            }
            if (chosen == null) {
                return kept;
            }
            chosen.poll();
            where.reserve(chosen.shape);
            Placed placed = new Placed(best.call, where, chosen.shape);
            if (keepFirst) {
                kept = placed;
                keepFirst = false;
            } else {
                try {
                    launcher.launch(placed);
                } catch (RejectedExecutionException e) {
                    placed.rejected(e); // the runner's threads are gone: the call crashes, never waits forever
                }
            }
        }
    }

    /** Returns the worker with the most free slots among those that fit the shape now, or null. */
    private Worker fit(Shape shape) {
        Worker best = null;
        int bestSlots = 0;
        for (Worker worker : workers) {
            int slots = worker.freeSlots.get();
            if (slots > bestSlots && worker.fits(shape)) {
                best = worker;
                bestSlots = slots;
            }
        }
        return best;
    }

    private void released() {
        DIRTY.setVolatile(this, 1);
        schedule();
    }

    /**
     * Ends, as crashed, every call that is still waiting; used when the runner shuts down. Calls that some
     * other thread is placing at that moment are left to it.
     *
     * @param why what to tell them
     */
    public void crashWaiting(String why) {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            return;
        }
        try {
            drain();
            for (Bucket bucket : buckets) {
                Waiting waiting;
                while ((waiting = bucket.poll()) != null) {
                    waiting.call.crash(new IllegalStateException(why));
                }
            }
        } finally {
            LOCK.setVolatile(this, 0);
        }
    }

    /**
     * Describes the workers, for the runner's start line: {@code 2 workers x 1 thread, each with {GPU=1}}.
     *
     * @return the description
     */
    public String describeWorkers() {
        int slots = workers[0].slots;
        String threads =
                slots >= UNBOUNDED_SLOTS ? "any number of threads" : slots + (slots == 1 ? " thread" : " threads");
        String resources = capacities();
        return workers.length
                + (workers.length == 1 ? " worker x " : " workers x ")
                + threads
                + (resources.equals("{}") ? "" : (workers.length == 1 ? ", with " : ", each with ") + resources);
    }

    private String capacities() {
        Set<String> distinct = new LinkedHashSet<>();
        for (Worker worker : workers) {
            distinct.add(worker.capacity.toString());
        }
        return String.join(" or ", distinct);
    }

    private Shape shapeOf(Resources resources) {
        Shape shape = shapes.get(resources);
        return shape != null ? shape : shapes.computeIfAbsent(resources, this::newShape);
    }

    private Shape newShape(Resources resources) {
        long[] need = new long[resourceIndex.size()];
        boolean known = true;
        for (Map.Entry<String, Double> e : resources.asMap().entrySet()) {
            Integer i = resourceIndex.get(e.getKey());
            if (i == null) {
                known = false;
            } else {
                need[i] = Math.round(e.getValue() * 1_000_000d);
            }
        }
        boolean satisfiable = false;
        if (known) {
            for (Worker worker : workers) {
                satisfiable |= resources.fitsIn(worker.capacity);
            }
        }
        return new Shape(resources, need, satisfiable);
    }

    private long[] vector(Resources resources) {
        long[] amounts = new long[resourceIndex.size()];
        for (Map.Entry<String, Double> e : resources.asMap().entrySet()) {
            amounts[resourceIndex.get(e.getKey())] = Math.round(e.getValue() * 1_000_000d);
        }
        return amounts;
    }

    /** What a call needs, as amounts indexed like the workers' resources. Equal requests share one. */
    private static final class Shape {
        final Resources resources;
        final long[] need;
        final boolean satisfiable;
        final boolean empty;

        Shape(Resources resources, long[] need, boolean satisfiable) {
            this.resources = resources;
            this.need = need;
            this.satisfiable = satisfiable;
            this.empty = resources.isEmpty();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Shape s && resources.equals(s.resources);
        }

        @Override
        public int hashCode() {
            return resources.hashCode();
        }
    }

    /** A waiting call, with its arrival number, which orders equal priorities across shapes. */
    private record Waiting(TaskRunner.Call call, int priority, long sequence) {
        boolean before(Waiting other) {
            return priority != other.priority ? priority > other.priority : sequence < other.sequence;
        }
    }

    /**
     * The calls of one shape that wait: a FIFO queue per priority level, levels highest first. Levels are
     * few, and a level's queue is kept once made, so adding and taking are O(1) in the common case.
     */
    private static final class Bucket {
        final Shape shape;
        private int[] priorities = new int[0]; // descending
        private ArrayDeque<Waiting>[] queues = newQueues(0);

        Bucket(Shape shape) {
            this.shape = shape;
        }

        @SuppressWarnings("unchecked")
        private static ArrayDeque<Waiting>[] newQueues(int n) {
            return (ArrayDeque<Waiting>[]) new ArrayDeque<?>[n];
        }

        void add(Waiting waiting) {
            int p = waiting.priority;
            int i = 0;
            while (i < priorities.length && priorities[i] > p) {
                i++;
            }
            if (i == priorities.length || priorities[i] != p) {
                int[] ps = new int[priorities.length + 1];
                ArrayDeque<Waiting>[] qs = newQueues(priorities.length + 1);
                System.arraycopy(priorities, 0, ps, 0, i);
                System.arraycopy(queues, 0, qs, 0, i);
                ps[i] = p;
                qs[i] = new ArrayDeque<>();
                System.arraycopy(priorities, i, ps, i + 1, priorities.length - i);
                System.arraycopy(queues, i, qs, i + 1, queues.length - i);
                priorities = ps;
                queues = qs;
            }
            queues[i].addLast(waiting);
        }

        Waiting peek() {
            for (ArrayDeque<Waiting> queue : queues) {
                Waiting head = queue.peekFirst();
                if (head != null) {
                    return head;
                }
            }
            return null;
        }

        Waiting poll() {
            for (ArrayDeque<Waiting> queue : queues) {
                Waiting head = queue.pollFirst();
                if (head != null) {
                    return head;
                }
            }
            return null;
        }
    }

    /** A worker: its capacity, and what of it is free. Releases add; only the placing thread takes. */
    private static final class Worker {
        final int index;
        final Resources capacity;
        final int slots;
        final AtomicInteger freeSlots;
        final AtomicLongArray free;

        Worker(int index, Resources capacity, long[] amounts, int slots) {
            this.index = index;
            this.capacity = capacity;
            this.slots = slots;
            this.freeSlots = new AtomicInteger(slots);
            this.free = new AtomicLongArray(amounts);
        }

        boolean fits(Shape shape) {
            if (shape.empty) {
                return true;
            }
            long[] need = shape.need;
            for (int i = 0; i < need.length; i++) {
                if (need[i] > 0 && free.get(i) < need[i]) {
                    return false;
                }
            }
            return true;
        }

        void reserve(Shape shape) {
            freeSlots.decrementAndGet();
            if (!shape.empty) {
                long[] need = shape.need;
                for (int i = 0; i < need.length; i++) {
                    if (need[i] > 0) {
                        free.addAndGet(i, -need[i]);
                    }
                }
            }
        }

        void releaseResources(Shape shape) {
            long[] need = shape.need;
            for (int i = 0; i < need.length; i++) {
                if (need[i] > 0) {
                    free.addAndGet(i, need[i]);
                }
            }
        }
    }

    /**
     * A call placed on a worker, holding a slot and its resources there. Running it gives them back; while
     * it runs it is also its thread's {@link Helper}, so that with {@code secede} a wait gives the slot back.
     * It is a {@link ForkJoinTask} so that a fork-join pool takes it without a wrapper, and a plain {@link
     * Runnable} for any other thread.
     */
    public final class Placed extends ForkJoinTask<Void> implements Runnable, Helper {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient TaskRunner.Call call;
        private final transient Worker worker;
        private final transient Shape shape;

        Placed(TaskRunner.Call call, Worker worker, Shape shape) {
            this.call = call;
            this.worker = worker;
            this.shape = shape;
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
         * Returns the index of the worker the call was placed on.
         *
         * @return the worker's index, from 0
         */
        public int worker() {
            return worker.index;
        }

        /**
         * Runs the call here, then gives back its slot (and its resources once it is final); then, with
         * inline continuation, runs here in turn the best waiting call that can start, rather than handing it
         * to another thread.
         */
        @Override
        public void run() {
            Placed next = this;
            while (next != null) {
                next = next.runOnce();
            }
        }

        private Placed runOnce() {
            Runnable whenFinal = shape.empty ? null : this::releaseResources;
            Helper previous = secede ? Helper.enter(this) : null;
            boolean finalNow = true;
            boolean returned = false;
            try {
                finalNow = call.run(whenFinal);
                returned = true;
            } finally {
                if (secede) {
                    Helper.restore(previous);
                }
                worker.freeSlots.incrementAndGet();
                if (finalNow && !shape.empty) {
                    worker.releaseResources(shape);
                }
                DIRTY.setVolatile(Placement.this, 1);
                if (!returned) {
                    schedule(); // the call broke its contract and threw: still start what waits
                }
            }
            return schedule(continueInline);
        }

        @Override
        protected boolean exec() {
            run();
            return true;
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
            worker.freeSlots.incrementAndGet();
            if (!shape.empty) {
                worker.releaseResources(shape);
            }
            released();
            call.crash(cause);
        }

        /** The launcher refused the call: crashes it and gives back what it holds, placing nothing more. */
        void rejected(RejectedExecutionException cause) {
            worker.freeSlots.incrementAndGet();
            if (!shape.empty) {
                worker.releaseResources(shape);
            }
            call.crash(new IllegalStateException("The task runner could not start the call: " + cause, cause));
        }

        /**
         * Gives the slot back while the call waits, and takes it again after, possibly over the count. It
         * blocks through {@link ForkJoinPool#managedBlock}, so that a fork-join pool adds a thread meanwhile
         * and the calls it waits for can run.
         */
        @Override
        public boolean helpUntil(BooleanSupplier done, boolean timed, long deadline) {
            worker.freeSlots.incrementAndGet();
            released();
            try {
                ForkJoinPool.managedBlock(new Blocker(done, timed, deadline));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WeftException("Interrupted while waiting inside task run '" + call.name() + "'", e);
            } finally {
                worker.freeSlots.decrementAndGet();
            }
            return done.getAsBoolean();
        }
    }

    /** Parks until the condition holds or the deadline passes; lets a fork-join pool compensate. */
    private static final class Blocker implements ForkJoinPool.ManagedBlocker {
        private final BooleanSupplier done;
        private final boolean timed;
        private final long deadline;

        Blocker(BooleanSupplier done, boolean timed, long deadline) {
            this.done = done;
            this.timed = timed;
            this.deadline = deadline;
        }

        @Override
        public boolean block() throws InterruptedException {
            while (!isReleasable()) {
                if (timed) {
                    LockSupport.parkNanos(this, deadline - System.nanoTime());
                } else {
                    LockSupport.park(this);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return true;
        }

        @Override
        public boolean isReleasable() {
            return done.getAsBoolean() || (timed && System.nanoTime() - deadline >= 0);
        }
    }

    @Override
    public String toString() {
        return "Placement of " + runner + ": " + describeWorkers();
    }
}
