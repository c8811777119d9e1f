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
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;

/**
 * Writes every flow run and task run to the run history: a sink of the process's recorder that turns the
 * events of a run into one {@link RunRecord} when it ends (and one when a flow run begins), and a thread of
 * its own, {@code weft-history}, that writes them to the {@link RunHistory} in batches. No task's thread
 * ever waits for the database: the sink only puts records in a bounded queue. When the writer falls that
 * far behind, the thread that drains the recorder waits for room, so that memory stays bounded and nothing
 * is dropped.
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

    private final MpscArrayQueue<RunRecord> out = new MpscArrayQueue<>(CAPACITY);
    private final Thread writer;
    private volatile RunHistory history;
    private volatile boolean closed;
    /** How many records were put in the queue, and how many were written: for {@link #flush}. */
    private volatile long queued;

    private volatile long written;

    // Only the recorder's drainer touches these (one at a time, ordered by the recorder's drain flag).
    private final Map<Object, String> flowIds = new IdentityHashMap<>();
    private final Map<Object, Instant> started = new IdentityHashMap<>();
    private final Map<Object, String> runners = new IdentityHashMap<>();

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
        long target = h.queued;
        long deadline = System.nanoTime() + patience.toNanos();
        LockSupport.unpark(h.writer);
        while (h.written < target) {
            if (System.nanoTime() > deadline || !h.writer.isAlive()) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
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
            case TASK_STATE -> detail == StateType.RUNNING || detail instanceof State<?>;
            default -> false;
        };
    }

    @Override
    public void accept(Event event) {
        switch (event.kind()) {
            case FLOW_BEGIN -> started.put(event.subject(), event.at());
            case RUNNER_STARTING -> { // the run shows as running from here on, with its runner's name
                runners.put(event.subject(), String.valueOf(event.detail()));
                put(flowRecord((FlowRun) event.subject(), StateType.RUNNING, null, null));
            }
            case FLOW_END -> {
                FlowRun run = (FlowRun) event.subject();
                State<?> state = (State<?>) event.detail();
                put(flowRecord(run, state.type(), state.message(), event.at()));
                started.remove(run);
                runners.remove(run);
                flowIds.remove(run);
            }
            case TASK_STATE -> {
                TaskRun<?> run = (TaskRun<?>) event.subject();
                if (event.detail() == StateType.RUNNING) {
                    started.putIfAbsent(run, event.at()); // a retry keeps its first try's start
                } else if (event.detail() instanceof State<?> state
                        && state.type().isFinal()) {
                    put(new RunRecord(
                            RunRecord.Kind.TASK,
                            flowId(run.flow),
                            null,
                            run.name(),
                            run.task().name(),
                            state.type(),
                            state.message(),
                            started.remove(run),
                            event.at(),
                            run.flow.runnerName(),
                            run.ranOn(),
                            run.tags(),
                            null));
                }
            }
            default -> {}
        }
    }

    private RunRecord flowRecord(FlowRun run, StateType state, String message, Instant ended) {
        FlowRun parent = run.parentRun();
        String runner = runners.get(run);
        return new RunRecord(
                RunRecord.Kind.FLOW,
                flowId(run),
                parent == null ? null : flowId(parent),
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

    private String flowId(FlowRun run) {
        return flowIds.computeIfAbsent(run, r -> java.util.UUID.randomUUID().toString());
    }

    /** Puts a record in the writer's queue, waiting for room if the writer is that far behind. */
    private void put(RunRecord record) {
        while (!out.offer(record)) {
            if (closed || !writer.isAlive()) {
                return;
            }
            LockSupport.unpark(writer);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        queued++; // only the drainer writes it
        if ((queued & (BATCH - 1)) == 0) {
            LockSupport.unpark(writer); // a full batch waits: no need to wait for the writer's tick
        }
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
        List<RunRecord> batch = new ArrayList<>(BATCH);
        while (!closed) {
            out.drain(batch::add, BATCH);
            if (batch.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            for (int i = 0; i < batch.size(); i++) {
                RunRecord r = batch.get(i);
                if (r.kind() == RunRecord.Kind.FLOW && r.process() == null) {
                    batch.set(i, r.withProcess(THIS_PROCESS));
                }
            }
            RunHistory h = open();
            try {
                h.write(batch);
            } catch (RuntimeException e) {
                if (!(h instanceof InMemoryHistory)) {
                    LOG.warn(
                            "The run history could not be written to {}, and stays in this process's memory from"
                                    + " now on: {}",
                            h.describe(),
                            e.getMessage());
                    RunHistory memory = new InMemoryHistory(InMemoryHistory.DEFAULT_MAX_RECORDS);
                    memory.write(batch);
                    synchronized (LOCK) {
                        if (history == h) {
                            history = memory;
                        }
                    }
                }
            }
            written += batch.size();
            batch.clear();
        }
    }

    /** This process, as records name it. */
    private static final String THIS_PROCESS =
            RunRecord.process(ProcessHandle.current().pid());
}
