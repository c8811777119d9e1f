package dev.weft.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.ConcurrencyLimit;
import dev.weft.Settings;
import dev.weft.Tags;
import dev.weft.spi.Admission;
import dev.weft.spi.SlotStore;
import dev.weft.spi.StoreException;
import dev.weft.store.SlotTables.Holding;
import dev.weft.store.SlotTables.Waiter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A {@link SlotStore} over JDBC: a SQLite file that the processes of one machine share ({@code weft.db} in
 * Weft's home by default), or a PostgreSQL database that processes on many hosts share.
 *
 * <p>Instances are safe for use by many threads, and many instances, in any number of processes, may use
 * the same database at once. Every method may block on IO; none holds a lock of this process while it
 * waits for the network, except that SQLite writes of one instance go one at a time. Failures throw {@link
 * StoreException}, whose message is one line naming the database without its password; a SQLite file
 * that is not a database, or whose pages make no sense, is called damaged, with what to do.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>A slot is a row of {@code weft_concurrency_slot} with a lease, {@code expires_ms}. Times come from
 *       the database's clock, never the host's, so that hosts whose clocks disagree agree on when a lease
 *       runs out. Reads show only unexpired slots; an acquire deletes the expired slots and waits of its
 *       tags before it counts.
 *   <li>An acquire is one transaction that holds its tags' limits still: PostgreSQL locks the limit rows
 *       {@code FOR UPDATE} in tag order, SQLite begins {@code IMMEDIATE}, taking the file's one write lock.
 *       So no two acquires count the same tag at once, in any process. {@code delete} and {@code reset}
 *       take the limit row first, then the slots, so that a slot an acquire is adding is never left behind.
 *   <li>Fairness. A run that finds a tag full becomes a row of {@code weft_concurrency_waiter} on that tag,
 *       with a place ({@code seq}, one more than the tag's newest) and a lease like a slot's; it keeps its
 *       place when it asks again and finds the tag full again, and moves to the back of another tag when
 *       that one stops it instead. A run gets its slots only where the free slots outnumber the waiters
 *       ahead of it: for a run that does not wait on the tag, every waiter; for one that does, the waiters
 *       of other holders that queued before its holder's first waiter. So a slot freed in one process goes
 *       to the process whose run has waited longest, and a process that keeps submitting cannot keep it.
 *   <li>Among one holder's waiters the store keeps no order: the holder asks for the head of its own
 *       queue, which may have reached the store after a later run of the same holder. The run that is
 *       granted takes its holder's first place; the holder's first waiter moves to the granted run's place.
 *       Were the store to insist on its own order within a holder, a holder whose queue had another head
 *       would never ask for the run the store waits for, and the slot would stay free.
 *   <li>An acquire that finds a tag full, for a run already waiting on it, writes nothing. So SQLite's
 *       change counter, which wakes every waiting process, does not move, and processes that wait on one
 *       file do not wake each other in a loop.
 *   <li>{@link #renew} extends the holder's slots and waits that still exist, expired or not: an expired
 *       row that still exists has not been counted as gone by any acquire, because acquires delete expired
 *       rows in the transaction that counts.
 *   <li>{@link #release} ends a run's waits as well as its slots: the engine releases a queued run that
 *       ends without its slots, so that a cancelled waiter stops holding others back at once rather than
 *       when its lease runs out. {@link #reset} frees slots only: the waiting runs are alive, renew their
 *       waits, and take the freed slots in their order. {@link #delete} ends the tag's waits with it.
 *   <li>A transaction that fails on a busy SQLite file, a PostgreSQL deadlock or serialization failure
 *       runs again, a few times, after a short random pause (see {@link Transactions}).
 *   <li>Waiting processes learn of changes at once. On PostgreSQL, whatever frees slots, ends a wait or
 *       changes a limit sends {@code NOTIFY weft_slots} in its own transaction, so that it arrives on
 *       commit; {@link #onSlotsFreed} listens (see {@link SlotListener}). A SQLite file has no such channel,
 *       but a cheap counter that moves when another connection commits: {@link #onSlotsFreed} polls it
 *       (see {@link SqliteWatcher}). Waiting runs also ask again every slot wait: {@link #defaultSlotWait}
 *       is 1 s for a SQLite file, a small local transaction, and Prefect's 30 s for a server.
 * </ul>
 */
public final class JdbcSlotStore implements SlotStore {
    /** How often, by default, a queued run asks a SQLite file again for slots other processes hold. */
    public static final Duration SQLITE_SLOT_WAIT = Duration.ofSeconds(1);

    private static final String EVERYONE = ""; // a notification payload that no store takes for its own

    private final Database db;
    private final HikariDataSource pool;
    private final Dialect dialect;
    private final Transactions tx;
    private final SlotTables tables;
    private final String self = UUID.randomUUID().toString();
    private final Object feedLock = new Object();
    private ChangeFeed feed; // guarded by feedLock

    private JdbcSlotStore(Database db, HikariDataSource pool) {
        this.db = db;
        this.pool = pool;
        this.dialect = db.dialect();
        this.tx = new Transactions(db, pool);
        this.tables = new SlotTables(dialect);
    }

    /**
     * Opens the store the settings name, creating its tables on first use: PostgreSQL for a {@code
     * jdbc:postgresql:} URL, SQLite for a {@code jdbc:sqlite:} URL, else the SQLite file {@code weft.db} in
     * the home, which is created if missing. Fails fast: one attempt to connect, within {@link
     * Pools#CONNECTION_TIMEOUT_MS} unless the URL sets another connect timeout.
     *
     * @param settings the settings
     * @return the store, open
     * @throws StoreException naming the database, on one line, if it cannot be reached, its URL names
     *     another kind of database, its SQLite file is damaged, or its tables cannot be created
     */
    public static JdbcSlotStore open(Settings settings) {
        Database db = Database.of(Objects.requireNonNull(settings, "settings"));
        return new JdbcSlotStore(db, Migrations.open(db));
    }

    /**
     * Says where the limits live: {@code SQLite file /home/ann/.weft/weft.db} or {@code PostgreSQL
     * jdbc:postgresql://db.example.org/weft}, without passwords.
     *
     * @return the description
     */
    @Override
    public String describe() {
        return db.describe();
    }

    // ---- the engine's side ------------------------------------------------------------------------------

    /**
     * Takes one slot on every limited tag of a run, all or nothing, in one transaction, or records that the
     * run waits. Tags are looked at in the order given: the first one whose limit is 0 answers {@link
     * Admission.Outcome#ZERO} and ends the run's waits; the first one that has no slot for the run answers
     * {@link Admission.Outcome#FULL} with its holders, oldest first, and makes the run wait on that tag
     * alone, keeping its place if it waited there already. A tag has no slot for the run when its free slots
     * do not outnumber the waiters ahead of the run (see the class's notes on fairness), so FULL may come
     * with fewer holders than the limit. A tag on which the run holds a slot already is not taken again. A
     * grant ends the run's wait.
     *
     * @param holder the process that will renew the slots and the wait
     * @param runId the run that takes them
     * @param runName the run's name, kept for people reading the database
     * @param tags the run's tags
     * @param lease how long the slots, or the wait, stay taken unless renewed, more than zero
     * @return whether the run got its slots
     * @throws StoreException if the database cannot be reached or is damaged
     */
    @Override
    public Admission acquire(String holder, UUID runId, String runName, Collection<String> tags, Duration lease) {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(runId, "runId");
        long leaseMs = leaseMillis(lease);
        List<String> wanted = List.copyOf(new LinkedHashSet<>(tags));
        if (wanted.isEmpty()) {
            return Admission.GRANTED;
        }
        return tx.write("acquire slots", c -> admit(c, holder, runId, runName, wanted, leaseMs));
    }

    private Admission admit(Connection c, String holder, UUID runId, String runName, List<String> wanted, long leaseMs)
            throws SQLException {
        Map<String, Integer> limits = tables.lockLimits(c, wanted);
        if (limits.isEmpty()) {
            return Admission.GRANTED; // a wait on a tag whose limit was deleted went with the limit
        }
        long now = tables.now(c);
        List<String> limited = new ArrayList<>(limits.keySet());
        // a wait that lapsed may have held back a run of any process, this one's included
        boolean lapsed = tables.purgeExpired(c, limited, now) > 0;
        Map<String, List<Holding>> holdings = tables.holdings(c, limited);
        Map<String, List<Waiter>> waiters = tables.waiters(c, limited);
        List<String> taking = new ArrayList<>();
        for (String tag : wanted) {
            Integer limit = limits.get(tag);
            if (limit == null) {
                continue;
            }
            List<Holding> held = holdings.getOrDefault(tag, List.of());
            if (held.stream().anyMatch(h -> h.runId().equals(runId))) {
                continue;
            }
            if (limit == 0) {
                if (tables.deleteWaits(c, runId, null) > 0 || lapsed) {
                    notifyStores(c, EVERYONE);
                }
                return Admission.zero(tag);
            }
            List<Waiter> queue = waiters.getOrDefault(tag, List.of());
            if (limit - held.size() <= ahead(queue, holder, runId)) {
                boolean moved = tables.deleteWaits(c, runId, tag) > 0;
                if (queue.stream().noneMatch(w -> w.runId().equals(runId))) {
                    tables.insertWaiter(c, tag, queue, holder, runId, runName, now, now + leaseMs);
                }
                if (moved || lapsed) {
                    notifyStores(c, EVERYONE);
                }
                return Admission.full(
                        tag, limit, held.stream().map(Holding::runId).toList());
            }
            taking.add(tag);
        }
        tables.insertSlots(c, taking, holdings, holder, runId, runName, now, now + leaseMs);
        endWait(c, waiters, holder, runId);
        if (lapsed) {
            notifyStores(c, EVERYONE);
        }
        return Admission.GRANTED;
    }

    /**
     * How many of a tag's waiters, oldest first, are ahead of a run: all of them for a run that does not
     * wait on the tag; else those of other holders that queued before the run's holder's first waiter.
     */
    static int ahead(List<Waiter> queue, String holder, UUID runId) {
        if (queue.stream().noneMatch(w -> w.runId().equals(runId))) {
            return queue.size();
        }
        int ahead = 0;
        for (Waiter w : queue) {
            if (w.holder().equals(holder) || w.runId().equals(runId)) {
                return ahead;
            }
            ahead++;
        }
        return ahead;
    }

    /** Ends the waits of a granted run, whose holder's first waiter on the tag takes its place. */
    private void endWait(Connection c, Map<String, List<Waiter>> waiters, String holder, UUID runId)
            throws SQLException {
        for (Map.Entry<String, List<Waiter>> tag : waiters.entrySet()) {
            Waiter first = null;
            for (Waiter w : tag.getValue()) {
                if (first == null && (w.holder().equals(holder) || w.runId().equals(runId))) {
                    first = w;
                }
                if (w.runId().equals(runId)) {
                    if (first != w) {
                        tables.moveWaiter(c, tag.getKey(), first.runId(), w.seq());
                    }
                    break;
                }
            }
        }
        tables.deleteWaits(c, runId, null);
    }

    /**
     * Gives back every slot a run holds and ends its wait, if it waits; on PostgreSQL, tells other stores
     * that slots came free, and every store, this one's listeners included, that a wait ended.
     *
     * @param runId the run
     * @throws StoreException if the database cannot be reached or is damaged
     */
    @Override
    public void release(UUID runId) {
        Objects.requireNonNull(runId, "runId");
        tx.write("release slots", c -> {
            int slots = tables.deleteSlots(c, runId);
            if (tables.deleteWaits(c, runId, null) > 0) {
                notifyStores(c, EVERYONE); // this process's next queued run may be first now
            } else if (slots > 0) {
                notifyStores(c, self); // this process hands its own released slots on by itself
            }
            return null;
        });
    }

    /**
     * Extends the leases of the holder's slots and waits that still exist, to {@code lease} from now on the
     * database's clock. Slots and waits of other holders, and runs that have neither, are left alone.
     *
     * @param holder the process
     * @param runIds the runs whose slots it holds or that wait
     * @param lease the new lease, more than zero
     * @throws StoreException if the database cannot be reached or is damaged
     */
    @Override
    public void renew(String holder, Collection<UUID> runIds, Duration lease) {
        Objects.requireNonNull(holder, "holder");
        long leaseMs = leaseMillis(lease);
        List<String> ids = runIds.stream().map(UUID::toString).distinct().toList();
        if (ids.isEmpty()) {
            return;
        }
        tx.write("renew slot leases", c -> {
            tables.renew(c, holder, ids, tables.now(c) + leaseMs);
            return null;
        });
    }

    /**
     * Calls {@code listener} on a thread of the store's whenever another store may have freed slots, ended a
     * wait or changed a limit: on PostgreSQL when one notifies, on a SQLite file when another connection
     * committed a change, within {@link SqliteWatcher#SQLITE_CHANGE_POLL_MS} ms (this store's own commits
     * included, which costs a retry). The first call starts that thread, one per store, and returns once
     * it watches; {@link #close()} stops it.
     *
     * @param listener what to call
     */
    @Override
    public void onSlotsFreed(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        ChangeFeed started = null;
        synchronized (feedLock) {
            if (tx.closed()) {
                return;
            }
            if (feed == null) {
                feed = started = dialect == Dialect.POSTGRESQL
                        ? new SlotListener(db, pool.getDataSource(), self)
                        : new SqliteWatcher(db, pool.getDataSource());
            }
            feed.add(listener);
        }
        if (started != null) {
            started.start(Pools.CONNECTION_TIMEOUT_MS);
        }
    }

    /**
     * Returns the tags that have a limit now, in one query of the limit table.
     *
     * @return the limited tags
     * @throws StoreException if the database cannot be reached or is damaged
     */
    @Override
    public Set<String> limitedTags() {
        return Set.copyOf(tx.query("read the limited tags", tables::limitedTags));
    }

    /**
     * Returns how often a queued run asks again, unless the settings say: {@link #SQLITE_SLOT_WAIT} for a
     * SQLite file, where a retry is a small local transaction and a commit elsewhere is seen at once anyway;
     * Prefect's 30 s ({@link Settings#DEFAULT_SLOT_WAIT}) for PostgreSQL, which notifies.
     *
     * @return the slot wait
     */
    @Override
    public Duration defaultSlotWait() {
        return dialect == Dialect.SQLITE ? SQLITE_SLOT_WAIT : Settings.DEFAULT_SLOT_WAIT;
    }

    /**
     * Says that the store blocks on IO.
     *
     * @return true
     */
    @Override
    public boolean blocking() {
        return true;
    }

    // ---- the client's side ------------------------------------------------------------------------------

    /**
     * Creates a limit on a tag, or sets the limit of an existing one, keeping its id, slots and waiting runs,
     * and on PostgreSQL tells other stores.
     *
     * @param tag the tag
     * @param limit 0 or more
     * @return the limit, with its active slots
     * @throws IllegalArgumentException for an invalid tag or a negative limit
     * @throws StoreException if the database cannot be reached or is damaged
     */
    @Override
    public ConcurrencyLimit create(String tag, int limit) {
        Tags.check(tag);
        if (limit < 0) {
            throw new IllegalArgumentException("A concurrency limit must be 0 or more, not " + limit);
        }
        return tx.write("create the limit on tag '" + tag + "'", c -> {
            tables.upsertLimit(c, tag, limit, tables.now(c));
            notifyStores(c, self);
            return tables.read(c, tag)
                    .orElseThrow(() -> new SQLException("The limit on tag '" + tag + "' vanished as it was set"));
        });
    }

    /**
     * Reads the limit on a tag, with the runs holding unexpired slots on it, oldest first: each with its
     * name, host, process id and when it took the slot.
     *
     * @param tag the tag
     * @return the limit, or empty
     * @throws StoreException if the database cannot be reached or is damaged
     */
    @Override
    public Optional<ConcurrencyLimit> read(String tag) {
        Objects.requireNonNull(tag, "tag");
        return tx.query("read the limit on tag '" + tag + "'", c -> tables.read(c, tag));
    }

    /**
     * Reads every limit, ordered by tag, each with the runs holding unexpired slots on it, oldest first.
     *
     * @return the limits
     * @throws StoreException if the database cannot be reached or is damaged
     */
    @Override
    public List<ConcurrencyLimit> readAll() {
        return tx.query("read the limits", tables::readAll);
    }

    /**
     * Deletes the limit on a tag, its slots and its waiting runs' waits, and on PostgreSQL tells other
     * stores.
     *
     * @param tag the tag
     * @return whether there was one
     * @throws StoreException if the database cannot be reached or is damaged
     */
    @Override
    public boolean delete(String tag) {
        Objects.requireNonNull(tag, "tag");
        return tx.write("delete the limit on tag '" + tag + "'", c -> {
            // the limit row first: it waits for an acquire that holds it, whose rows the next statements see
            boolean deleted = tables.deleteLimit(c, tag);
            tables.deleteSlotsOfTag(c, tag);
            tables.deleteWaitsOfTag(c, tag);
            if (deleted) {
                notifyStores(c, self);
            }
            return deleted;
        });
    }

    /**
     * Frees every slot on a tag, whoever holds it, and on PostgreSQL tells other stores. Runs waiting on
     * the tag keep waiting, in their order, and take the freed slots first.
     *
     * @param tag the tag
     * @return whether the tag has a limit
     * @throws StoreException if the database cannot be reached or is damaged
     */
    @Override
    public boolean reset(String tag) {
        Objects.requireNonNull(tag, "tag");
        return tx.write("reset the slots of tag '" + tag + "'", c -> {
            if (tables.lockLimits(c, List.of(tag)).isEmpty()) {
                return false;
            }
            tables.deleteSlotsOfTag(c, tag);
            notifyStores(c, self);
            return true;
        });
    }

    /**
     * Stops listening for changes and closes the pool's connections. Later calls throw {@link
     * StoreException}; closing again does nothing.
     */
    @Override
    public void close() {
        if (!tx.close()) {
            return;
        }
        ChangeFeed f;
        synchronized (feedLock) {
            f = feed;
        }
        if (f != null) {
            f.close();
        }
        pool.close();
    }

    @Override
    public String toString() {
        return "JdbcSlotStore[" + describe() + "]";
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /**
     * On PostgreSQL, notifies the stores listening, on commit: every store but this one for its own payload,
     * whose process has woken its waiting runs itself; every store for {@link #EVERYONE}.
     */
    private void notifyStores(Connection c, String payload) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return; // SQLite's watchers see the commit itself
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, SlotListener.CHANNEL);
            s.setString(2, payload);
            s.execute();
        }
    }

    private static long leaseMillis(Duration lease) {
        Objects.requireNonNull(lease, "lease");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("A slot lease must be more than zero, not " + lease);
        }
        return Math.max(1, lease.toMillis());
    }
}
