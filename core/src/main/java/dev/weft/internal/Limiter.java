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

/**
 * Admits task runs that carry tags: takes a slot on each of their limited tags from a {@link SlotStore}
 * before they go to the runner, queues those that find a tag full, and gives slots back when runs end.
 * Runs without tags never come here; runs whose tags have no limit get no further than the cached set of
 * limited tags, so neither touches the store.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>A queued run holds no thread: it sits in the queue of the tag that stopped it. A release in this
 *       process retries that tag's queue at once, head first, until the tag is full again; releases in
 *       other processes are seen when the store tells ({@link SlotStore#onSlotsFreed}), and every slot
 *       wait. The store keeps queued runs in order across processes, so a release here goes to a run that
 *       another process queued earlier if there is one: the local head is refused, and that process's
 *       waiter takes the slot when it hears of the release.
 *   <li>No wake-up is lost. Every release bumps {@code epoch} once the store has it; an attempt that
 *       finds a tag full re-asks if the epoch moved while it asked. Only one thread asks for a run at a
 *       time ({@code attempting}); another that finds it busy leaves it to that one, which re-asks.
 *   <li>A final run's slots are given back on the thread that ends it, before its final state is seen
 *       ({@link #releaseNow}), so that whoever sees a run final finds its slots free.
 *   <li>Slots and waits are leases, renewed every third of the lease while their runs live.
 *   <li>A run queued on a tag whose every slot is held by its own callers (a task run waiting on the
 *       subflow it called, or on a task it called in place) would wait forever: it fails at once, naming
 *       the tag and both runs. Holders in other processes are assumed to make progress.
 * </ul>
 */
public final class Limiter {
    private static final Logger LOG = Logs.get("dev.weft.limits");

    private final SlotStore store;
    private final Settings settings;
    private final String holder;
    private final Executor io;
    private final long slotWaitMs;
    private final AtomicLong epoch = new AtomicLong();
    private final Object lock = new Object();
    private final Map<String, LinkedHashSet<SlotClaim>> queues = new HashMap<>();
    private final Map<String, Set<SlotClaim>> nestedQueued = new HashMap<>();
    private final Map<UUID, SlotClaim> held = new HashMap<>();
    private ScheduledExecutorService timer;
    private boolean retired;

    /** The tags with a limit, as last read; reread when stale or older than a slot wait. */
    private volatile Set<String> limited;

    private volatile long limitedReadAt;
    private volatile boolean limitedStale = true;

    /** The failure the last renewal reported, so that a store that stays broken is reported once. */
    private volatile String renewFailure;

    Limiter(SlotStore store, Settings settings) {
        this.store = store;
        this.settings = settings;
        this.holder = holderName();
        this.slotWaitMs = settings.slotWait().orElseGet(store::defaultSlotWait).toMillis();
        this.io = store.blocking()
                ? Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("weft-slots-", 0).factory())
                : Runnable::run;
        store.onSlotsFreed(() -> {
            limitedStale = true;
            wakeAllLater();
        });
    }

    // ---- opening ------------------------------------------------------------------------------------------

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
     * Returns this process's store, opening it if need be.
     *
     * @return the store
     * @throws StoreException if it cannot be opened
     */
    public static SlotStore current() {
        return SharedLimiter.get().store();
    }

    /**
     * Makes this process's flows take slots from {@code store} from now on.
     *
     * @param store the store, or null for the one the settings name, opened on next use
     * @return the previous store, or null
     */
    public static SlotStore use(SlotStore store) {
        return SharedLimiter.use(store);
    }

    /**
     * Tells this process's limiter that limits changed, so that it reads them again and its queued runs ask
     * again. Any store: a client may work on the same database through a store of its own.
     *
     * @param store the store that changed
     */
    public static void limitsChanged(SlotStore store) {
        SharedLimiter.limitsChanged();
    }

    SlotStore store() {
        return store;
    }

    /** Stops the timer once the runs that hold or wait for slots here are gone; no new run comes. */
    void retire() {
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

    void limitsChanged() {
        limitedStale = true;
        epoch.incrementAndGet();
        wakeAllLater();
    }

    /**
     * Names this process for people reading the store: {@code host:pid:id}. The host comes from the
     * environment, not from a name lookup, which can stall start-up for seconds on a host whose name does
     * not resolve.
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
    void admit(SlotClaim run) {
        run.limitedBy(this);
        io.execute(() -> attempt(run, false));
    }

    /**
     * Asks the store for a run's slots until it has an answer, or another thread takes over the asking.
     *
     * @param queued whether the run was taken from a queue: it is asked for only while it is still queued,
     *     since every answer takes it out, and the store would grant a run that holds its slots again
     */
    private void attempt(SlotClaim run, boolean queued) {
        for (boolean again = queued; ; again = true) {
            synchronized (lock) {
                if (again && run.queuedOn() == null) {
                    return; // another attempt answered it meanwhile
                }
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
                if (!anyLimited(run.tags())) {
                    forget(run);
                    run.admitted(false);
                    return;
                }
                answer = store.acquire(holder, run.id(), run.name(), run.tags(), settings.slotLease());
            } catch (RuntimeException e) {
                forget(run);
                run.slotsUnavailable(e);
                return;
            }
            switch (answer.outcome()) {
                case GRANTED -> {
                    synchronized (lock) {
                        run.endAttempt();
                        dequeue(run);
                        if (held.put(run.id(), run) == null) {
                            countHeld(run, 1);
                        }
                        startTimer();
                    }
                    run.admitted(true);
                    return;
                }
                case ZERO -> {
                    forget(run);
                    run.aborted(answer.tag());
                    return;
                }
                case FULL -> {
                    run.waitsInStore();
                    String deadlock;
                    SlotClaim victim;
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

    /** Whether one of the tags has a limit; reads the limited tags when they may have changed. */
    private boolean anyLimited(List<String> tags) {
        Set<String> known = limited;
        long now = System.nanoTime();
        if (known == null || limitedStale || now - limitedReadAt > TimeUnit.MILLISECONDS.toNanos(slotWaitMs)) {
            limitedStale = false; // before the read: a change told meanwhile marks it stale again
            known = store.limitedTags();
            limited = known;
            limitedReadAt = now;
        }
        for (String tag : tags) {
            if (known.contains(tag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Forgets a run that is no longer asked for: it got its answer, or it ended while queued. A run that
     * the store keeps waiting has its wait ended there, so that it holds up no one.
     */
    void forget(SlotClaim run) {
        synchronized (lock) {
            run.endAttempt();
            dequeue(run);
            stopIfIdle();
        }
        if (run.stopWaitingInStore()) {
            io.execute(() -> {
                try {
                    store.release(run.id());
                } catch (RuntimeException e) {
                    LOG.debug("Could not end the wait of task run '{}' in {}: {}", run.name(), store.describe(), e);
                }
            });
        }
    }

    /**
     * Gives back the slots of a run that is ending, on the calling thread: the store has them when this
     * returns. Then retries the runs queued on its tags, off this thread.
     *
     * @param run the run, whose final state is claimed but not yet published
     */
    void releaseNow(SlotClaim run) {
        synchronized (lock) {
            if (held.remove(run.id()) != null) {
                countHeld(run, -1);
            }
            stopIfIdle();
        }
        try {
            store.release(run.id());
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not give back the slots of task run '{}' to {}; they come free when their lease runs out: {}",
                    run.name(),
                    store.describe(),
                    e.getMessage());
        } finally {
            epoch.incrementAndGet();
        }
        io.execute(() -> wake(run.tags()));
    }

    /**
     * Gives back a run's slots between two of its tries, off the calling thread, then retries the runs
     * queued on its tags.
     *
     * @param run the run, awaiting a retry
     * @param done called once the store has the release
     */
    void releaseBetweenTries(SlotClaim run, Runnable done) {
        synchronized (lock) {
            if (held.remove(run.id()) != null) {
                countHeld(run, -1);
            }
            stopIfIdle();
        }
        io.execute(() -> {
            try {
                store.release(run.id());
            } catch (RuntimeException e) {
                LOG.warn(
                        "Could not give back the slots of task run '{}' to {} between tries; they come free when"
                                + " their lease runs out: {}",
                        run.name(),
                        store.describe(),
                        e.getMessage());
            } finally {
                epoch.incrementAndGet();
                done.run();
            }
            wake(run.tags());
        });
    }

    private void wake(List<String> tags) {
        for (String tag : tags) {
            wake(tag);
        }
    }

    /** Retries a tag's queue, head first, until the tag is full again. */
    private void wake(String tag) {
        SlotClaim last = null;
        for (; ; ) {
            SlotClaim head;
            synchronized (lock) {
                LinkedHashSet<SlotClaim> q = queues.get(tag);
                head = q == null || q.isEmpty() ? null : q.getFirst();
            }
            if (head == null || head == last) {
                return;
            }
            attempt(head, true);
            last = head;
        }
    }

    private void wakeAll() {
        List<String> tags;
        synchronized (lock) {
            tags = new ArrayList<>(queues.keySet());
        }
        wake(tags);
    }

    private void wakeAllLater() {
        io.execute(this::wakeAll);
    }

    // ---- queues ------------------------------------------------------------------------------------------

    /** Counts a run that took (1) or gave back (-1) its slots, on each of its tags, for {@code weft stat}. */
    private static void countHeld(SlotClaim run, int delta) {
        Counters c = Counters.get();
        if (c != null) {
            for (String tag : run.tags()) {
                c.tag(tag).held.add(delta);
            }
        }
    }

    /** Counts a run that began (1) or stopped (-1) waiting for a slot on a tag, for {@code weft stat}. */
    private static void countWaiting(String tag, int delta) {
        Counters c = Counters.get();
        if (c != null) {
            c.tag(tag).waiting.add(delta);
        }
    }

    private void enqueue(SlotClaim run, String tag) {
        String was = run.queuedOn();
        if (tag.equals(was)) {
            return;
        }
        if (was != null) {
            dequeue(run);
        }
        if (queues.computeIfAbsent(tag, t -> new LinkedHashSet<>()).add(run)) {
            countWaiting(tag, 1);
        }
        if (run.nested()) {
            nestedQueued.computeIfAbsent(tag, t -> new HashSet<>()).add(run);
        }
        run.queuedOn(tag);
        startTimer();
    }

    private void dequeue(SlotClaim run) {
        String tag = run.queuedOn();
        if (tag == null) {
            return;
        }
        LinkedHashSet<SlotClaim> q = queues.get(tag);
        if (q != null && q.remove(run)) {
            countWaiting(tag, -1);
            if (q.isEmpty()) {
                queues.remove(tag); // so that no queue is empty: queues.isEmpty() says whether any run waits
            }
        }
        Set<SlotClaim> nested = nestedQueued.get(tag);
        if (nested != null && nested.remove(run) && nested.isEmpty()) {
            nestedQueued.remove(tag);
        }
        run.queuedOn(null);
    }

    // ---- deadlocks ---------------------------------------------------------------------------------------

    private record Deadlock(SlotClaim victim, String message) {}

    /** Under the lock: whether every slot of the full tag is held by a caller of a run queued on it. */
    private Deadlock deadlock(SlotClaim run, Admission answer) {
        String tag = answer.tag();
        Set<SlotClaim> nested = nestedQueued.get(tag);
        // fewer holders than the limit: a free slot is kept for a run queued earlier elsewhere, not held here
        if (nested == null || answer.holders().isEmpty() || answer.holders().size() < answer.limit()) {
            return null;
        }
        SlotClaim victim = null;
        SlotClaim victimsHolder = null;
        for (UUID id : answer.holders()) {
            SlotClaim holding = held.get(id);
            if (holding == null) {
                return null; // held elsewhere, or by a run that is not waiting on this tag's queue
            }
            SlotClaim blocked = nested.contains(run) && run.isCalledBy(holding) ? run : null;
            if (blocked == null) {
                for (SlotClaim waiting : nested) {
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
        timer.scheduleAtFixedRate(
                () -> {
                    if (hasQueued()) {
                        io.execute(this::wakeAll);
                    }
                },
                slotWaitMs,
                slotWaitMs,
                TimeUnit.MILLISECONDS);
    }

    private boolean hasQueued() {
        synchronized (lock) {
            return !queues.isEmpty();
        }
    }

    /** Renews the slots of the runs that hold them and the waits of the queued ones. */
    private void renew() {
        List<UUID> ids;
        int holding;
        synchronized (lock) {
            if (held.isEmpty() && queues.isEmpty()) {
                return;
            }
            ids = new ArrayList<>(held.keySet());
            holding = ids.size();
            queues.values().forEach(q -> q.forEach(run -> ids.add(run.id())));
        }
        try {
            store.renew(holder, ids, settings.slotLease());
            if (renewFailure != null) {
                renewFailure = null;
                LOG.info("Renewing slots in {} works again", store.describe());
            }
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            if (!why.equals(renewFailure)) { // once per failure, not every third of a lease
                renewFailure = why;
                LOG.error(
                        "Cannot renew the slots of {} running and {} queued task runs: {}; their slots come free"
                                + " when their lease runs out",
                        holding,
                        ids.size() - holding,
                        why);
            }
        }
    }
}
