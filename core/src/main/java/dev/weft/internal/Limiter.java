package dev.weft.internal;

import dev.weft.Settings;
import dev.weft.spi.Admission;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStoreProvider;
import dev.weft.spi.StoreException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits task runs that carry tags: takes a slot on each of their limited tags from the process's {@link
 * SlotStore} before they go to the runner, queues those that find a tag full, and gives slots back when
 * runs end. Runs without tags never come here, so they never touch the store.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>A queued run holds no thread: it sits in the queue of the tag that stopped it. A release in this
 *       process retries that tag's queue at once, head first, until the tag is full again; releases in
 *       other processes are seen every slot wait, or at once where the store can tell ({@link
 *       SlotStore#onSlotsFreed}).
 *   <li>No wake-up is lost. Every release bumps {@code epoch} once the store has it; an attempt that
 *       finds a tag full re-asks if the epoch moved while it asked. Only one thread asks for a run at a
 *       time ({@code attempting}); another that finds it busy leaves it to that one, which re-asks.
 *   <li>Slots are leases, renewed every third of the lease while their runs live.
 *   <li>A run queued on a tag whose every slot is held by its own callers (a task run waiting on the
 *       subflow it called, or on a task it called in place) would wait forever: it fails at once, naming
 *       the tag and both runs. Holders in other processes are assumed to make progress.
 * </ul>
 */
public final class Limiter {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.limits");
    private static final Object SHARED_LOCK = new Object();
    private static volatile Limiter shared;

    private final SlotStore store;
    private final Settings settings;
    private final String holder;
    private final Executor io;
    private final AtomicLong epoch = new AtomicLong();
    private final Object lock = new Object();
    private final Map<String, LinkedHashSet<TaskRun<?>>> queues = new HashMap<>();
    private final Map<String, Set<TaskRun<?>>> nestedQueued = new HashMap<>();
    private final Map<UUID, TaskRun<?>> held = new HashMap<>();
    private ScheduledExecutorService timer;
    private boolean retired;

    Limiter(SlotStore store, Settings settings) {
        this.store = store;
        this.settings = settings;
        this.holder = holderName();
        this.io = store.blocking()
                ? Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("weft-slots-", 0).factory())
                : Runnable::run;
        store.onSlotsFreed(this::wakeAllLater);
    }

    // ---- the process's limiter ------------------------------------------------------------------------

    /**
     * Returns this process's limiter, opening its store on first use.
     *
     * @return the limiter
     * @throws StoreException if the store cannot be opened
     */
    public static Limiter shared() {
        Limiter l = shared;
        if (l == null) {
            synchronized (SHARED_LOCK) {
                l = shared;
                if (l == null) {
                    Settings settings = Settings.load();
                    shared = l = new Limiter(open(settings), settings);
                    LOG.debug("Concurrency limits live in {}", l.store.describe());
                }
            }
        }
        return l;
    }

    /**
     * Makes this process's flows take slots from {@code store} from now on.
     *
     * @param store the store
     * @return the previous store, or null
     */
    public static SlotStore use(SlotStore store) {
        synchronized (SHARED_LOCK) {
            Limiter previous = shared;
            shared = store == null ? null : new Limiter(store, Settings.load());
            if (previous != null) {
                previous.retire();
            }
            return previous == null ? null : previous.store;
        }
    }

    /** Stops the timer once the runs that hold or wait for slots here are gone; no new run comes. */
    private void retire() {
        synchronized (lock) {
            retired = true;
            stopIfIdle();
        }
    }

    /** Under the lock. */
    private void stopIfIdle() {
        if (retired && held.isEmpty() && queues.isEmpty() && timer != null) {
            timer.shutdown();
            timer = null;
        }
    }

    /**
     * Opens the store the settings name: the first {@link SlotStoreProvider} on the class path, else
     * memory.
     *
     * @param settings the settings
     * @return the store
     * @throws StoreException if a database is named but no store module is on the class path
     */
    public static SlotStore open(Settings settings) {
        SlotStoreProvider found = null;
        try {
            for (SlotStoreProvider provider :
                    ServiceLoader.load(SlotStoreProvider.class, Limiter.class.getClassLoader())) {
                found = provider;
                break;
            }
            if (found != null) {
                return found.open(settings);
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new StoreException(
                    "The store of concurrency limits "
                            + (found == null ? "" : found.getClass().getName() + " ")
                            + "cannot be loaded, a library it needs is missing from the class path: " + e,
                    e);
        }
        if (settings.databaseUrl().isPresent()) {
            throw new StoreException(
                    "A database is set for concurrency limits ("
                            + settings.databaseUrl().get()
                            + "), but no store is on the class path: add dev.weft:weft-store",
                    null);
        }
        return inMemory();
    }

    /**
     * Returns a new store in the memory of this process.
     *
     * @return the store
     */
    public static SlotStore inMemory() {
        return new InMemorySlotStore(Clock.systemUTC());
    }

    /**
     * Tells the process's limiter that limits changed in {@code store}, so that queued runs ask again.
     *
     * @param store the store that changed
     */
    public static void limitsChanged(SlotStore store) {
        Limiter l = shared;
        if (l != null && l.store == store) {
            l.epoch.incrementAndGet();
            l.wakeAllLater();
        }
    }

    /**
     * Returns the store.
     *
     * @return the store
     */
    public SlotStore store() {
        return store;
    }

    /**
     * Names this process for people reading the store: host, pid and a random part. The host comes from
     * the environment, not from a name lookup, which can stall start-up for seconds on a host whose name
     * does not resolve.
     */
    private static String holderName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            host = System.getenv("COMPUTERNAME"); // Windows
        }
        return (host == null || host.isBlank() ? "localhost" : host) + ":"
                + ProcessHandle.current().pid() + ":"
                + Node.randomId().toString().substring(0, 8);
    }

    // ---- admission --------------------------------------------------------------------------------------

    /** Asks for the run's slots, off the caller's thread when the store blocks; the run is told the answer. */
    void admit(TaskRun<?> run) {
        io.execute(() -> attempt(run));
    }

    private void attempt(TaskRun<?> run) {
        for (; ; ) {
            synchronized (lock) {
                if (!run.startAttempt()) {
                    return; // the thread asking for it now re-asks if a slot came free meanwhile
                }
            }
            long seen = epoch.get();
            if (run.isDone()) {
                forget(run);
                return;
            }
            Admission answer;
            try {
                answer = store.acquire(holder, run.id(), run.name(), run.tags(), settings.slotLease());
            } catch (RuntimeException e) {
                forget(run);
                run.slotsUnavailable(store.describe(), e);
                return;
            }
            switch (answer.outcome()) {
                case GRANTED -> {
                    synchronized (lock) {
                        run.endAttempt();
                        dequeue(run);
                        held.put(run.id(), run);
                        startTimer();
                    }
                    run.admitted();
                    return;
                }
                case ZERO -> {
                    forget(run);
                    run.aborted(answer.tag());
                    return;
                }
                case FULL -> {
                    String deadlock;
                    TaskRun<?> victim;
                    synchronized (lock) {
                        run.endAttempt();
                        enqueue(run, answer.tag());
                        Deadlock found = deadlock(run, answer);
                        victim = found == null ? null : found.victim;
                        deadlock = found == null ? null : found.message;
                        if (victim != null) {
                            dequeue(victim);
                        }
                    }
                    if (victim != null) {
                        victim.deadlocked(deadlock);
                        if (victim == run) {
                            return;
                        }
                    }
                    run.queued(answer.tag(), answer.limit());
                    if (epoch.get() == seen) {
                        return;
                    }
                    // a slot came free while we asked: ask again
                }
            }
        }
    }

    /** Forgets a run that is no longer asked for: it got its answer, or it ended while queued. */
    void forget(TaskRun<?> run) {
        synchronized (lock) {
            run.endAttempt();
            dequeue(run);
            stopIfIdle();
        }
    }

    /**
     * Gives back a run's slots, then retries the runs queued on its tags.
     *
     * @param run the run, final
     * @param done called once the store has the release
     */
    void release(TaskRun<?> run, Runnable done) {
        UUID id = run.id();
        synchronized (lock) {
            held.remove(id);
            stopIfIdle();
        }
        io.execute(() -> {
            try {
                store.release(id);
            } catch (RuntimeException e) {
                LOG.warn(
                        "Could not give back the slots of task run '{}' to {}; they come free when their lease"
                                + " runs out: {}",
                        run.name(),
                        store.describe(),
                        e.toString());
            } finally {
                epoch.incrementAndGet();
                done.run();
            }
            for (String tag : run.tags()) {
                wake(tag);
            }
        });
    }

    /** Retries a tag's queue, head first, until the tag is full again. */
    private void wake(String tag) {
        TaskRun<?> last = null;
        for (; ; ) {
            TaskRun<?> head;
            synchronized (lock) {
                LinkedHashSet<TaskRun<?>> q = queues.get(tag);
                head = q == null || q.isEmpty() ? null : q.getFirst();
            }
            if (head == null || head == last) {
                return;
            }
            attempt(head);
            last = head;
        }
    }

    private void wakeAll() {
        List<String> tags;
        synchronized (lock) {
            tags = new ArrayList<>(queues.keySet());
        }
        for (String tag : tags) {
            wake(tag);
        }
    }

    private void wakeAllLater() {
        io.execute(this::wakeAll);
    }

    // ---- queues ------------------------------------------------------------------------------------------

    private void enqueue(TaskRun<?> run, String tag) {
        String was = run.queuedOn();
        if (tag.equals(was)) {
            return;
        }
        if (was != null) {
            dequeue(run);
        }
        queues.computeIfAbsent(tag, t -> new LinkedHashSet<>()).add(run);
        if (run.caller() != null) {
            nestedQueued.computeIfAbsent(tag, t -> new HashSet<>()).add(run);
        }
        run.queuedOn(tag);
        startTimer();
    }

    private void dequeue(TaskRun<?> run) {
        String tag = run.queuedOn();
        if (tag == null) {
            return;
        }
        LinkedHashSet<TaskRun<?>> q = queues.get(tag);
        if (q != null && q.remove(run) && q.isEmpty()) {
            queues.remove(tag); // so that no queue is empty: queues.isEmpty() says whether any run waits
        }
        Set<TaskRun<?>> nested = nestedQueued.get(tag);
        if (nested != null && nested.remove(run) && nested.isEmpty()) {
            nestedQueued.remove(tag);
        }
        run.queuedOn(null);
    }

    // ---- deadlocks ---------------------------------------------------------------------------------------

    private record Deadlock(TaskRun<?> victim, String message) {}

    /** Under the lock: whether every slot of the full tag is held by a caller of a run queued on it. */
    private Deadlock deadlock(TaskRun<?> run, Admission answer) {
        String tag = answer.tag();
        Set<TaskRun<?>> nested = nestedQueued.get(tag);
        if (nested == null || answer.holders().isEmpty()) {
            return null;
        }
        TaskRun<?> victim = null;
        TaskRun<?> victimsHolder = null;
        for (UUID id : answer.holders()) {
            TaskRun<?> holding = held.get(id);
            if (holding == null) {
                return null; // held elsewhere, or by a run that is not waiting on this tag's queue
            }
            TaskRun<?> blocked = nested.contains(run) && run.isCalledBy(holding) ? run : null;
            if (blocked == null) {
                for (TaskRun<?> waiting : nested) {
                    if (waiting.isCalledBy(holding)) {
                        blocked = waiting;
                        break;
                    }
                }
            }
            if (blocked == null) {
                return null;
            }
            if (victim == null || blocked == run) {
                victim = blocked;
                victimsHolder = holding;
            }
        }
        String message = victim.label() + " needs a slot on tag '" + tag + "' (limit " + answer.limit()
                + "), but every slot is held by runs that wait for it: "
                + victimsHolder.label().toLowerCase(java.util.Locale.ROOT).charAt(0)
                + victimsHolder.label().substring(1) + " holds one while it waits on "
                + victim.waitedOnBy(victimsHolder) + ". Waiting would deadlock: give the inner tasks"
                + " another tag, or raise the limit above what the outer runs hold";
        return new Deadlock(victim, message);
    }

    // ---- leases and retries -------------------------------------------------------------------------------

    private void startTimer() {
        if (timer != null || (retired && held.isEmpty() && queues.isEmpty())) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-limits");
            t.setDaemon(true);
            return t;
        });
        long renewEvery = Math.max(1, settings.slotLease().toMillis() / 3);
        timer.scheduleAtFixedRate(() -> io.execute(this::renew), renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        long retryEvery = settings.slotWait().orElseGet(store::defaultSlotWait).toMillis();
        timer.scheduleAtFixedRate(
                () -> {
                    if (hasQueued()) {
                        io.execute(this::wakeAll);
                    }
                },
                retryEvery,
                retryEvery,
                TimeUnit.MILLISECONDS);
    }

    private boolean hasQueued() {
        synchronized (lock) {
            return !queues.isEmpty();
        }
    }

    private void renew() {
        List<UUID> ids;
        synchronized (lock) {
            if (held.isEmpty()) {
                return;
            }
            ids = new ArrayList<>(held.keySet());
        }
        try {
            store.renew(holder, ids, settings.slotLease());
        } catch (RuntimeException e) {
            LOG.warn("Could not renew the leases of {} slots in {}: {}", ids.size(), store.describe(), e.toString());
        }
    }
}
