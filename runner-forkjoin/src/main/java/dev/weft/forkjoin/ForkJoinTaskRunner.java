package dev.weft.forkjoin;

import dev.weft.Resources;
import dev.weft.TaskRunner;
import dev.weft.WeftException;
import dev.weft.runner.Accelerator;
import dev.weft.runner.Accelerators;
import dev.weft.runner.Lifecycle;
import dev.weft.runner.Placement;
import dev.weft.runner.PoolThreads;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Runs submitted task runs in parallel on a work-stealing {@link ForkJoinPool}, as a local cluster of
 * workers: Weft's in-process answer to Prefect's {@code DaskTaskRunner}.
 *
 * {@snippet :
 * // 1 worker with 1 thread, claiming 1 GPU and 1 process, as the seed's Dask example does
 * ForkJoinTaskRunner runner = ForkJoinTaskRunner.builder()
 *         .workers(1)
 *         .threadsPerWorker(1)
 *         .resources(Map.of("GPU", 1, "process", 1))
 *         .build();
 * }
 *
 * <p>Each worker has thread slots and resources. A call starts on a worker with a free slot whose free
 * resources cover what it needs ({@code task.withResources(...)} or an {@code Annotate} scope), reserved
 * until it ends; among waiting calls, higher priorities start first and equal ones keep submission order; a
 * call no worker could ever fit fails at once. With the defaults there is one worker per core, each with
 * one thread and no resources; as with Dask's local cluster, a number of workers without a number of
 * threads gives each worker its share of the cores.
 *
 * <p>A call that waits for futures (a task that submits tasks and takes their results) gives its slot back
 * while it waits, and the pool adds a thread meanwhile ({@link ForkJoinPool#managedBlock}), so recursive
 * fan-outs keep every slot busy and never deadlock. Calls placed from a pool thread go to that thread's
 * own deque, where idle threads steal them.
 *
 * <p>This runner is for work that computes. A task that blocks on something else than a Weft future (IO,
 * a lock, a latch) keeps its slot while it blocks, as a Dask task keeps its worker's thread; so never make
 * one task wait for another through anything but the other's future. Run blocking work on the {@code
 * ConcurrentTaskRunner}, in a subflow; or, if it must run here, block through {@link
 * ForkJoinPool#managedBlock}, so that at least the pool's other slots keep their threads.
 *
 * <p>Thread-safe. Each flow run starts its own {@link #duplicate() copy}.
 */
public final class ForkJoinTaskRunner implements TaskRunner {
    /** The most threads the pool may have, spare threads for waiting calls included (the JDK's cap). */
    private static final int MAX_THREADS = 0x7fff;

    private static final long KEEP_ALIVE_SECONDS = 60;

    private final int workers;
    private final int threadsPerWorker;
    private final Resources resources;
    private final List<Resources> extraWorkers;
    private final Lifecycle lifecycle = new Lifecycle("ForkJoinTaskRunner");
    private final boolean gpuWorkers;
    private volatile ForkJoinPool pool;
    /** Built with the runner, or where it declares its GPUs from the devices it sees, when it starts. */
    private Placement placement;

    private List<Accelerator> devices = List.of();

    /** Creates a runner with the defaults: one worker per core, one thread each, no resources. */
    public ForkJoinTaskRunner() {
        this(builder());
    }

    private ForkJoinTaskRunner(Builder builder) {
        this.workers = builder.workers;
        this.threadsPerWorker = builder.threadsPerWorker();
        this.resources = builder.resources;
        this.extraWorkers = List.copyOf(builder.extraWorkers);
        this.gpuWorkers = builder.gpuWorkers;
        if (!gpuWorkers) {
            this.placement = placing().build();
        }
    }

    private Placement.Builder placing() {
        Placement.Builder placing = Placement.builder("ForkJoinTaskRunner")
                .workers(workers, resources, threadsPerWorker)
                .secede(ForkJoinTaskRunner::managedBlock)
                .launcher(placed -> pool.execute((ForkJoinTask<?>) placed));
        for (Resources extra : extraWorkers) {
            placing.worker("worker-" + placing.size(), extra, threadsPerWorker);
        }
        return placing;
    }

    /** Opens the devices of {@code GPU=auto} and builds the placement with a worker for each. */
    private Placement placingOnDevices() {
        devices = Accelerators.open("GPU", "ForkJoinTaskRunner");
        if (devices.isEmpty()) {
            throw new IllegalStateException("ForkJoinTaskRunner was asked for GPU=auto and found no device");
        }
        Map<String, Double> perDevice = new LinkedHashMap<>(resources.asMap());
        perDevice.put("GPU", 1.0);
        Placement.Builder placing = placing();
        for (Accelerator device : devices) {
            placing.worker(device, Resources.of(perDevice), threadsPerWorker);
            device.whenLost(why -> placement.retireWorker(device.name(), why));
        }
        return placing.build();
    }

    /**
     * Waits through {@link ForkJoinPool#managedBlock}, so that the pool adds a thread while a call that gave
     * its slot back waits, and the calls it waits for can run.
     */
    private static boolean managedBlock(BooleanSupplier done, boolean timed, long deadline, String call) {
        try {
            ForkJoinPool.managedBlock(new Blocker(done, timed, deadline));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeftException("Interrupted while waiting inside task run '" + call + "'", e);
        }
        return done.getAsBoolean();
    }

    /** Parks until the condition holds or the deadline passes; lets the pool compensate meanwhile. */
    private record Blocker(BooleanSupplier done, boolean timed, long deadline) implements ForkJoinPool.ManagedBlocker {
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

    /**
     * Returns a builder, with the defaults: one worker per core, one thread each, no resources.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the number of workers.
     *
     * @return at least 1
     */
    public int workers() {
        return workers;
    }

    /**
     * Returns the number of threads of each worker: how many calls it runs at once.
     *
     * @return at least 1
     */
    public int threadsPerWorker() {
        return threadsPerWorker;
    }

    /**
     * Returns the resources each worker has.
     *
     * @return the resources
     */
    public Resources resources() {
        return resources;
    }

    @Override
    public String describe() {
        String described = "Creating a local cluster of " + placement.describeWorkers() + " on a ForkJoinPool";
        if (devices.isEmpty()) {
            return described;
        }
        return described + "; GPU=auto: "
                + devices.stream().map(d -> d.name() + " = " + d.describe()).collect(Collectors.joining(", "));
    }

    @Override
    public void start() {
        lifecycle.start();
        if (gpuWorkers) {
            placement = placingOnDevices();
        }
        AtomicInteger count = new AtomicInteger();
        int parallelism = (workers + extraWorkers.size() + devices.size()) * threadsPerWorker;
        pool = new ForkJoinPool(
                parallelism,
                p -> {
                    ForkJoinWorkerThread thread = PoolThreads.newThread(p);
                    thread.setName("weft-forkjoin-" + count.incrementAndGet());
                    return thread;
                },
                null,
                true, // FIFO: calls placed from a pool thread run in the order they were placed
                parallelism,
                MAX_THREADS,
                parallelism, // keep every slot's thread runnable while calls wait for their children
                pool -> false,
                KEEP_ALIVE_SECONDS,
                TimeUnit.SECONDS);
    }

    @Override
    public void submit(Call call) {
        lifecycle.requireStarted();
        placement.submit(call);
    }

    @Override
    public void shutdown() {
        if (lifecycle.shutDown()) {
            Placement p = placement;
            if (p != null) {
                p.crashWaiting("ForkJoinTaskRunner was shut down before the call could start");
            }
            ForkJoinPool threads = pool;
            if (threads != null) {
                threads.shutdown();
            }
            if (!devices.isEmpty()) {
                awaitDevicesIdle(threads);
                Accelerators.closeAll(devices);
            }
        }
    }

    /**
     * Waits until the pool's threads have ended after {@link #shutdown()}.
     *
     * @param timeout how long to wait at most
     * @param unit its unit
     * @return whether they have ended
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        ForkJoinPool p = pool;
        return p == null || p.awaitTermination(timeout, unit);
    }

    /** Lets the calls that still run on the devices end, a little while, before their devices are released. */
    private static void awaitDevicesIdle(ForkJoinPool threads) {
        if (threads == null) {
            return;
        }
        try {
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                threads.shutdownNow();
                threads.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public TaskRunner duplicate() {
        Builder copy =
                builder().workers(workers).threadsPerWorker(threadsPerWorker).resources(resources.asMap());
        extraWorkers.forEach(extra -> copy.worker(extra.asMap()));
        if (gpuWorkers) {
            copy.gpuWorkers();
        }
        return copy.build();
    }

    @Override
    public String toString() {
        Placement p = placement;
        if (p == null) {
            return "ForkJoinTaskRunner(" + workers + " workers, " + threadsPerWorker + " threads each, and one worker"
                    + " per GPU it will find)";
        }
        return "ForkJoinTaskRunner(" + p.describeWorkers() + ")";
    }

    /** Settings of a {@link ForkJoinTaskRunner}, like the {@code cluster_kwargs} of a Dask local cluster. */
    public static final class Builder {
        private static final int CORES = Runtime.getRuntime().availableProcessors();

        private int workers = CORES;
        private int threadsPerWorker = 0; // unset: the workers' share of the cores
        private Resources resources = Resources.NONE;
        private final List<Resources> extraWorkers = new ArrayList<>();
        private boolean gpuWorkers;

        private Builder() {}

        /**
         * Declares the runner's GPUs from the devices this process sees ({@code GPU=auto}): one more worker
         * per OpenCL device, each with {@code GPU=1} besides the alike workers' resources, and as many
         * threads as they have. A call placed there runs with that device as its own ({@code
         * dev.weft.gpu.Gpu.current()}), so a call that needs {@code GPU=1} has a device to itself, and calls
         * share one only where they ask for less ({@code GPU=0.5}) or for none.
         *
         * {@snippet :
         * ForkJoinTaskRunner runner = ForkJoinTaskRunner.builder()
         *         .workers(4)
         *         .gpuWorkers() // and gpu-0, gpu-1, ...: one per device
         *         .build();
         * }
         *
         * <p>The devices are those a default {@code GpuTaskRunner} takes: the host's GPUs, or with none its
         * CPU devices (PoCL's), or those {@code WEFT_GPU_DEVICES} names. They are opened when a flow run
         * starts the runner and released when it shuts down. Needs {@code dev.weft:weft-runner-gpu} on the
         * class path; without it, or without OpenCL, the flow run ends CRASHED saying what is missing.
         *
         * @return this builder
         */
        public Builder gpuWorkers() {
            this.gpuWorkers = true;
            return this;
        }

        /**
         * Adds one worker with its own resources, beside the {@link #workers(int) alike ones}: workers need
         * not be alike, such as four CPU workers and one with a GPU.
         *
         * {@snippet :
         * ForkJoinTaskRunner runner = ForkJoinTaskRunner.builder()
         *         .workers(4)
         *         .worker(Map.of("GPU", 1))
         *         .build(); // calls with GPU=1 run on the fifth worker only, one at a time
         * }
         *
         * @param amounts the worker's resources
         * @return this builder
         * @throws IllegalArgumentException naming the resource, for a negative or non-finite amount
         */
        public Builder worker(Map<String, ? extends Number> amounts) {
            Objects.requireNonNull(amounts, "worker");
            try {
                extraWorkers.add(Resources.of(amounts));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("worker: " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * Sets the number of workers (Dask's {@code n_workers}).
         *
         * @param count at least 1; the default is the number of cores
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("workers must be at least 1, not " + count);
            }
            this.workers = count;
            return this;
        }

        /**
         * Sets how many threads each worker has: how many calls it runs at once (Dask's {@code
         * threads_per_worker}).
         *
         * @param count at least 1; the default is the workers' share of the cores, rounded up (1 with the
         *     default number of workers)
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder threadsPerWorker(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("threadsPerWorker must be at least 1, not " + count);
            }
            this.threadsPerWorker = count;
            return this;
        }

        /**
         * Sets the resources each worker has, such as {@code Map.of("GPU", 1, "process", 1)} (Dask's
         * {@code resources}). As in Dask, they are abstract: nothing is inferred from the machine.
         *
         * @param amounts names and amounts; the default is none
         * @return this builder
         * @throws IllegalArgumentException naming the resource, for a negative or non-finite amount
         */
        public Builder resources(Map<String, ? extends Number> amounts) {
            Objects.requireNonNull(amounts, "resources");
            try {
                this.resources = Resources.of(amounts);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("resources: " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * Builds the runner.
         *
         * @return a new, unstarted runner
         */
        public ForkJoinTaskRunner build() {
            return new ForkJoinTaskRunner(this);
        }

        private int threadsPerWorker() {
            return threadsPerWorker > 0 ? threadsPerWorker : Math.max(1, (CORES + workers - 1) / workers);
        }
    }
}
