package dev.weft.contract;

import dev.weft.Resources;
import dev.weft.TaskRunner;
import dev.weft.runner.CallEnvelope;
import dev.weft.runner.Lifecycle;
import dev.weft.runner.Placement;
import dev.weft.runner.RunnerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A runner whose calls leave the engine as bytes, as a cluster runner's do: each call is serialized
 * ({@link CallEnvelope#request}), read back and run on a worker's own threads ({@link
 * CallEnvelope#execute}), and its outcome comes back as bytes ({@link CallEnvelope#deliver}). Nothing of
 * the call crosses but those bytes. The test can remove a worker while calls run on it: its threads are
 * interrupted and its calls handed back as lost, as when a worker JVM dies.
 *
 * <p>Every copy the flow runs make ({@link #duplicate()}) reports to the runner it was copied from, so a
 * test reaches the started copy through {@link #started()}.
 */
public final class BytesTaskRunner implements TaskRunner {
    private static final RunnerSpec SPEC = new RunnerSpec(true, true, true, false);

    private final int workers;
    private final int threadsPerWorker;
    private final Resources resources;
    private final AtomicReference<BytesTaskRunner> started;
    private final Lifecycle lifecycle = new Lifecycle("BytesTaskRunner");
    private final Map<String, ExecutorService> threads = new ConcurrentHashMap<>();
    private final Map<UUID, Future<?>> running = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> stops = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> ranOn = new ConcurrentLinkedQueue<>();
    private volatile Placement placement;

    /** A runner of {@code workers} workers of {@code threadsPerWorker} threads each, with no resources. */
    public BytesTaskRunner(int workers, int threadsPerWorker) {
        this(workers, threadsPerWorker, Resources.NONE, new AtomicReference<>());
    }

    /** A runner of {@code workers} workers of {@code threadsPerWorker} threads, each with {@code resources}. */
    public BytesTaskRunner(int workers, int threadsPerWorker, Map<String, ? extends Number> resources) {
        this(workers, threadsPerWorker, Resources.of(resources), new AtomicReference<>());
    }

    private BytesTaskRunner(
            int workers, int threadsPerWorker, Resources resources, AtomicReference<BytesTaskRunner> started) {
        this.workers = workers;
        this.threadsPerWorker = threadsPerWorker;
        this.resources = resources;
        this.started = started;
    }

    @Override
    public RunnerSpec spec() {
        return SPEC;
    }

    @Override
    public String describe() {
        return "Sending calls as bytes to " + placement.describeWorkers();
    }

    @Override
    public void start() {
        lifecycle.start();
        Placement.Builder b =
                Placement.builder("BytesTaskRunner").workersMayLeave().launcher(this::launch);
        for (int i = 0; i < workers; i++) {
            String name = "bytes-" + i;
            b.worker(name, resources, threadsPerWorker);
            threads.put(name, Executors.newFixedThreadPool(threadsPerWorker, r -> {
                Thread t = new Thread(r, "weft-" + name);
                t.setDaemon(true);
                return t;
            }));
        }
        placement = b.build();
        started.set(this);
    }

    @Override
    public void submit(Call call) {
        lifecycle.requireStarted();
        placement.submit(call);
    }

    private void launch(Placement.Placed placed) {
        Call call = placed.call();
        byte[] request;
        try {
            request = CallEnvelope.request(call);
        } catch (CallEnvelope.UnserializableException e) {
            placed.crash(e);
            return;
        }
        ExecutorService worker = threads.get(placed.worker());
        running.put(call.id(), worker.submit(() -> {
            if (!placed.begin()) {
                return;
            }
            ranOn.add(call.name() + "@" + placed.worker());
            byte[] outcome = CallEnvelope.execute(request); // "on the worker": nothing shared but bytes
            running.remove(call.id());
            if (placed.held()) {
                CallEnvelope.deliver(outcome, call);
                placed.end();
            }
        }));
    }

    @Override
    public void stop(Call call, String why) {
        stops.add(call.name() + ": " + why);
        Future<?> where = running.remove(call.id());
        if (where != null) {
            where.cancel(true);
        }
    }

    /**
     * Removes a worker as if its JVM died: its threads are interrupted, and its calls go back as lost.
     *
     * @return how many calls it handed back
     */
    public int removeWorker(String name) {
        ExecutorService gone = threads.remove(name);
        int handedBack = placement.removeWorker(name, "removed by the test");
        gone.shutdownNow();
        return handedBack;
    }

    /** Returns the copy a flow run started, for a test to act on its workers. */
    public BytesTaskRunner started() {
        return started.get();
    }

    /** Returns what {@link #stop} was told, one line per call: its name, and why. */
    public List<String> stops() {
        return new ArrayList<>(stops);
    }

    /** Returns where each try ran: {@code name@worker}. */
    public List<String> ranOn() {
        return new ArrayList<>(ranOn);
    }

    @Override
    public void shutdown() {
        if (lifecycle.shutDown()) {
            placement.crashWaiting("BytesTaskRunner was shut down before the call could start");
            for (ExecutorService pool : threads.values()) {
                pool.shutdownNow();
                try {
                    pool.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public TaskRunner duplicate() {
        return new BytesTaskRunner(workers, threadsPerWorker, resources, started);
    }
}
