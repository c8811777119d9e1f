package dev.weft.internal;

import dev.weft.State;
import dev.weft.StateType;
import dev.weft.spi.RunHistory;
import dev.weft.spi.RunHistoryProvider;
import dev.weft.spi.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.slf4j.Logger;

/**
 * Writes every flow run and task run to the run history, off the hot path: a task run that ends puts one
 * small record of itself in a bounded queue, and a thread of the history's own, {@code weft-history},
 * turns those into {@link RunRecord}s and writes them to the {@link RunHistory} in batches. Flow runs come
 * through the recorder, as a sink of its events: one record as a flow run begins and one as it ends. No
 * task's thread ever waits for the database; when the writer falls a whole queue behind, the thread that
 * ends a run (or drains the recorder) waits for room, so that memory stays bounded and nothing is dropped.
 *
 * <p>Which history: the one {@link #use} set, else the store's (the first {@link RunHistoryProvider} on
 * the path), else this process's memory; the setting {@value #PROPERTY} (environment {@code WEFT_HISTORY})
 * says {@code off} for none, {@code memory} for memory only. The store is opened on the writer's thread, so
 * the first flow run does not wait for it; if it cannot be opened, the history is kept in memory and
 * that is said once, in one line.
 */
public final class History implements EventSink {
    /** The system property that turns the history off ({@code off}) or keeps it in memory ({@code memory}). */
    public static final String PROPERTY = "weft.history";

    private static final Logger LOG = Logs.get("dev.weft.history");
    private static final int CAPACITY = 1 << 16;
    private static final int BATCH = 4096;
    private static final Object LOCK = new Object();

    private static volatile History running;
    private static volatile RunHistory chosen;

    /** Flow runs' records, task runs' {@link TaskEnd}s and {@link Flushed} marks, in the order they came. */
    private final MpscAtomicArrayQueue<Object> out = new MpscAtomicArrayQueue<>(CAPACITY);

    private final Thread writer;
    private volatile RunHistory history;
    private volatile boolean closed;
    /** Whether the writer is parked for want of work, so that a producer with a full batch wakes it. */
    private volatile boolean idle;

    // Only the recorder's drainer touches these (one at a time, ordered by the recorder's drain flag).
    private final Map<Object, Instant> started = new IdentityHashMap<>();
    private final Map<Object, String> runners = new IdentityHashMap<>();

    /**
     * What the history keeps of a task run that ended, made on the thread that ended it: only what the
     * record needs, never the run's inputs or value, which the queue would otherwise keep alive.
     */
    private record TaskEnd(
            FlowRun flow,
            TaskSpec spec,
            int index,
            StateType state,
            String message,
            long startedNanos,
            long endedNanos,
            Thread ranOn,
            List<String> tags) {
        RunRecord record() {
            return new RunRecord(
                    RunRecord.Kind.TASK,
                    flow.historyId(),
                    null,
                    TaskRun.name(spec, index),
                    spec.name(),
                    state,
                    message,
                    startedNanos == 0 ? null : Event.at(startedNanos),
                    Event.at(endedNanos),
                    flow.runnerName(),
                    ranOn == null ? null : Names.worker(ranOn),
                    tags,
                    null);
        }
    }

    /** A mark put in the queue by {@link #flush}: let go once everything before it is written. */
    private static final class Flushed extends java.util.concurrent.CountDownLatch {
        Flushed() {
            super(1);
        }
    }

    private History(RunHistory given) {
        this.history = given;
        this.writer = Thread.ofPlatform().daemon().name("weft-history").unstarted(this::write);
    }

    /** Returns whether this process writes a history: cheap, for the hot path. */
    static boolean on() {
        return running != null;
    }

    /**
     * Starts writing the history of this process's flow runs, unless it is off or already started. Called
     * as a flow run begins; after the first call it costs one volatile read.
     */
    static void start() {
        if (running != null || "off".equals(setting())) {
            return;
        }
        synchronized (LOCK) {
            if (running == null) {
                History h = new History(chosen);
                h.writer.start();
                Recorder.global().addSink(h);
                running = h;
            }
        }
    }

    /**
     * Makes this process write its history to {@code history} from now on ({@code null}: back to the
     * default, chosen on next use). Records not yet written go to the new one.
     *
     * @param history the history, or null
     * @return the previous one, or null if none was chosen yet
     */
    public static RunHistory use(RunHistory history) {
        synchronized (LOCK) {
            RunHistory previous = running != null ? running.history : chosen;
            chosen = history;
            if (running != null) {
                running.history = history;
            }
            return previous;
        }
    }

    /**
     * Returns the history this process writes to, opening the default one if needed; null if the history
     * is off.
     *
     * @return the history, or null
     */
    public static RunHistory current() {
        start();
        History h = running;
        return h == null ? null : h.open();
    }

    /**
     * Waits until every record of a run that ended before this call is written, or the time is up.
     *
     * @param patience how long to wait at most
     * @return whether all were written
     */
    public static boolean flush(Duration patience) {
        History h = running;
        if (h == null) {
            return true;
        }
        Recorder.global().flush();
        long deadline = System.nanoTime() + patience.toNanos();
        Flushed mark = new Flushed();
        if (!h.put(mark, deadline)) {
            return false;
        }
        LockSupport.unpark(h.writer);
        try {
            while (!mark.await(1, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline || !h.writer.isAlive()) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /**
     * Puts a task run that has just ended in the writer's queue: called on the thread that ended it, right
     * after its final state is published.
     *
     * @param run the run
     * @param state its final state
     */
    static void taskEnded(TaskRun<?> run, State<?> state) {
        History h = running;
        if (h != null) {
            h.put(
                    new TaskEnd(
                            run.flow,
                            run.spec(),
                            run.index(),
                            state.type(),
                            state.message(),
                            run.startedNanos(),
                            System.nanoTime(),
                            run.ranOn(),
                            run.tags()),
                    Long.MAX_VALUE);
        }
    }

    /** At the JVM's exit: writes what is left, for a few seconds at most. */
    static void flushAtExit() {
        flush(Duration.ofSeconds(5));
    }

    private static String setting() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            value = System.getenv("WEFT_HISTORY");
        }
        return value == null ? "store" : value.strip().toLowerCase(Locale.ROOT);
    }

    // ---- the sink: on the recorder's drainer ---------------------------------------------------------

    @Override
    public boolean wants(Event.Kind kind, Object detail) {
        return switch (kind) {
            case FLOW_BEGIN, FLOW_END, RUNNER_STARTING -> true;
            default -> false; // task runs come through taskEnded, without an event
        };
    }

    @Override
    public void accept(Event event) {
        switch (event.kind()) {
            case FLOW_BEGIN -> started.put(event.subject(), event.at());
            case RUNNER_STARTING -> { // the run shows as running from here on, with its runner's name
                runners.put(event.subject(), String.valueOf(event.detail()));
                put(flowRecord((FlowRun) event.subject(), StateType.RUNNING, null, null), Long.MAX_VALUE);
            }
            case FLOW_END -> {
                FlowRun run = (FlowRun) event.subject();
                State<?> state = (State<?>) event.detail();
                put(flowRecord(run, state.type(), state.message(), event.at()), Long.MAX_VALUE);
                started.remove(run);
                runners.remove(run);
            }
            default -> {}
        }
    }

    private RunRecord flowRecord(FlowRun run, StateType state, String message, Instant ended) {
        FlowRun parent = run.parentRun();
        String runner = runners.get(run);
        return new RunRecord(
                RunRecord.Kind.FLOW,
                run.historyId(),
                parent == null ? null : parent.historyId(),
                run.name(),
                run.flowName(),
                state,
                message,
                started.get(run),
                ended,
                runner != null ? runner : run.runnerName(),
                null,
                List.of(),
                null); // the writer names the process: the host's name may take a lookup
    }

    /**
     * Puts an item in the writer's queue, waiting for room while the writer is that far behind, until the
     * deadline; wakes the writer when a batch is waiting for it.
     *
     * @return whether it was put
     */
    private boolean put(Object item, long deadline) {
        while (!out.offer(item)) {
            if (closed || !writer.isAlive() || System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.unpark(writer);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        if (idle && out.size() >= BATCH) {
            LockSupport.unpark(writer); // a full batch waits: no need to wait for the writer's tick
        }
        return true;
    }

    // ---- the writer: on its own thread ---------------------------------------------------------------

    private RunHistory open() {
        RunHistory h = history;
        if (h != null) {
            return h;
        }
        synchronized (LOCK) {
            if (history == null) {
                history = "memory".equals(setting())
                        ? new InMemoryHistory(InMemoryHistory.DEFAULT_MAX_RECORDS)
                        : opened();
            }
            return history;
        }
    }

    private static RunHistory opened() {
        Iterator<RunHistoryProvider> providers =
                ServiceLoader.load(RunHistoryProvider.class).iterator();
        if (!providers.hasNext()) {
            return new InMemoryHistory(InMemoryHistory.DEFAULT_MAX_RECORDS);
        }
        try {
            return providers.next().open(dev.weft.Settings.load());
        } catch (RuntimeException e) {
            LOG.warn("The run history stays in this process's memory: {}", e.getMessage());
            return new InMemoryHistory(InMemoryHistory.DEFAULT_MAX_RECORDS);
        }
    }

    private void write() {
        List<Object> taken = new ArrayList<>(BATCH);
        List<RunRecord> batch = new ArrayList<>(BATCH);
        List<Flushed> marks = new ArrayList<>();
        while (!closed) {
            out.drain(taken::add, BATCH);
            if (taken.isEmpty()) {
                idle = true;
                if (out.isEmpty()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
                idle = false;
                continue;
            }
            for (Object item : taken) {
                if (item instanceof TaskEnd end) {
                    batch.add(end.record());
                } else if (item instanceof RunRecord r) {
                    batch.add(r.process() == null ? r.withProcess(THIS_PROCESS) : r);
                } else {
                    marks.add((Flushed) item);
                }
            }
            taken.clear();
            if (!batch.isEmpty()) {
                write(batch);
                batch.clear();
            }
            marks.forEach(Flushed::countDown); // everything before each mark is written
            marks.clear();
        }
    }

    private void write(List<RunRecord> batch) {
        RunHistory h = open();
        try {
            h.append(batch);
        } catch (RuntimeException e) {
            if (!(h instanceof InMemoryHistory)) {
                LOG.warn(
                        "The run history could not be written to {}, and stays in this process's memory from"
                                + " now on: {}",
                        h.describe(),
                        e.getMessage());
                RunHistory memory = new InMemoryHistory(InMemoryHistory.DEFAULT_MAX_RECORDS);
                memory.append(batch);
                synchronized (LOCK) {
                    if (history == h) {
                        history = memory;
                    }
                }
            }
        }
    }

    /** This process, as records name it. */
    private static final String THIS_PROCESS =
            RunRecord.process(ProcessHandle.current().pid());
}
