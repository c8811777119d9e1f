package dev.weft.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.ConcurrencyLimit;
import dev.weft.Settings;
import dev.weft.Tags;
import dev.weft.spi.Admission;
import dev.weft.spi.SlotStore;
import dev.weft.spi.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link SlotStore} over JDBC: a SQLite file that the processes of one machine share ({@code weft.db} in
 * Weft's home by default), or a PostgreSQL database that processes on many hosts share.
 *
 * <p>Instances are safe for use by many threads, and many instances, in any number of processes, may use
 * the same database at once. Every method may block on IO; none holds a lock of this process while it
 * waits for the network, except that SQLite writes of one instance go one at a time. Failures throw {@link
 * StoreException}, whose message is one line naming the database without its password.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>A slot is a row of {@code weft_concurrency_slot} with a lease, {@code expires_ms}. Times come from
 *       the database's clock, never the host's, so that hosts whose clocks disagree agree on when a lease
 *       runs out. Reads show only unexpired slots; an acquire deletes the expired slots of its tags before
 *       it counts.
 *   <li>An acquire is one transaction that holds its tags' limits still: PostgreSQL locks the limit rows
 *       {@code FOR UPDATE} in tag order, SQLite begins {@code IMMEDIATE}, taking the file's one write lock.
 *       So no two acquires count the same tag at once, in any process. {@code delete} and {@code reset}
 *       take the limit row first, then the slots, so that a slot an acquire is adding is never left behind.
 *   <li>{@link #renew} extends the holder's slots that still exist, expired or not: an expired slot that
 *       still exists has not been counted as free by any acquire, because acquires delete expired slots in
 *       the transaction that counts.
 *   <li>A transaction that fails on a busy SQLite file, a PostgreSQL deadlock or serialization failure
 *       runs again, a few times, after a short random pause.
 *   <li>On PostgreSQL, whatever frees slots or changes a limit sends {@code NOTIFY weft_slots} in its own
 *       transaction, so that it arrives on commit; {@link #onSlotsFreed} listens (see {@link
 *       SlotListener}). SQLite cannot tell, and waiting runs retry every slot wait.
 * </ul>
 */
public final class JdbcSlotStore implements SlotStore {
    /** How many times a transaction runs at most when it fails on a busy database or a deadlock. */
    static final int MAX_ATTEMPTS = 8;

    private static final String LIMIT = "weft_concurrency_limit";
    private static final String SLOT = "weft_concurrency_slot";
    private static final int MAX_RUNS_PER_RENEWAL = 500; // bind parameters per statement, far below both limits

    private final Database db;
    private final HikariDataSource pool;
    private final Dialect dialect;
    private final String self = UUID.randomUUID().toString();
    private final String readSql;
    // SQLite allows one writer at a time: queue this instance's writers here rather than in SQLite's busy
    // handler, which holds a carrier thread while it waits
    private final ReentrantLock sqliteWrites = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object listenerLock = new Object();
    private SlotListener listener; // guarded by listenerLock

    private JdbcSlotStore(Database db, HikariDataSource pool) {
        this.db = db;
        this.pool = pool;
        this.dialect = db.dialect();
        this.readSql = "SELECT l.id, l.tag, l.concurrency_limit, l.created_ms, l.updated_ms, s.run_id, s.run_name,"
                + " s.holder, s.acquired_ms"
                + " FROM " + LIMIT + " l LEFT JOIN " + SLOT + " s ON s.tag = l.tag AND s.expires_ms > "
                + dialect.now();
    }

    /**
     * Opens the store the settings name, creating its tables on first use: PostgreSQL for a {@code
     * jdbc:postgresql:} URL, SQLite for a {@code jdbc:sqlite:} URL, else the SQLite file {@code weft.db} in
     * the home, which is created if missing.
     *
     * @param settings the settings
     * @return the store, open
     * @throws StoreException naming the database, if it cannot be reached, its URL names another kind of
     *     database, or its tables cannot be created
     */
    public static JdbcSlotStore open(Settings settings) {
        Database db = Database.of(Objects.requireNonNull(settings, "settings"));
        if (db.dialect() == Dialect.SQLITE) {
            createDirectories(db.file().getParent());
            return Migrations.exclusively(db.file(), () -> start(db));
        }
        return start(db);
    }

    private static JdbcSlotStore start(Database db) {
        HikariDataSource pool = Pools.open(db);
        try {
            Migrations.migrate(db, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new JdbcSlotStore(db, pool);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException(
                    "Cannot create the directory " + dir + " for the concurrency-limit database: " + Failures.reason(e),
                    e);
        }
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
     * Takes one slot on every limited tag of a run, all or nothing, in one transaction. Tags are looked at
     * in the order given: the first one whose limit is 0 answers {@link Admission.Outcome#ZERO}, the first
     * one that is full answers {@link Admission.Outcome#FULL} with its holders, oldest first. A tag on
     * which the run holds a slot already is not taken again.
     *
     * @param holder the process that will renew the slots
     * @param runId the run that takes them
     * @param runName the run's name, kept for people reading the database
     * @param tags the run's tags
     * @param lease how long the slots stay taken unless renewed, more than zero
     * @return whether the run got its slots
     * @throws StoreException if the database cannot be reached
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
        return write("acquire slots", c -> {
            Map<String, Integer> limits = lockLimits(c, wanted);
            if (limits.isEmpty()) {
                return Admission.GRANTED;
            }
            long now = now(c);
            List<String> limited = new ArrayList<>(limits.keySet());
            purgeExpired(c, limited, now);
            Map<String, List<Holding>> holdings = holdings(c, limited);
            List<String> taking = new ArrayList<>();
            for (String tag : wanted) {
                Integer limit = limits.get(tag);
                if (limit == null) {
                    continue;
                }
                List<Holding> held = holdings.getOrDefault(tag, List.of());
                if (held.stream().anyMatch(h -> h.runId.equals(runId))) {
                    continue;
                }
                if (limit == 0) {
                    return Admission.zero(tag);
                }
                if (held.size() >= limit) {
                    return Admission.full(
                            tag, limit, held.stream().map(Holding::runId).toList());
                }
                taking.add(tag);
            }
            insertSlots(c, taking, holdings, holder, runId, runName, now, now + leaseMs);
            return Admission.GRANTED;
        });
    }

    /**
     * Gives back every slot a run holds and, on PostgreSQL, tells other stores that slots came free.
     *
     * @param runId the run
     * @throws StoreException if the database cannot be reached
     */
    @Override
    public void release(UUID runId) {
        Objects.requireNonNull(runId, "runId");
        write("release slots", c -> {
            int released;
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + SLOT + " WHERE run_id = ?")) {
                s.setString(1, runId.toString());
                released = s.executeUpdate();
            }
            if (released > 0) {
                notifyOthers(c);
            }
            return null;
        });
    }

    /**
     * Extends the leases of the holder's slots that still exist, to {@code lease} from now on the
     * database's clock. Slots of other holders, and of runs that hold none, are left alone.
     *
     * @param holder the process
     * @param runIds the runs whose slots it holds
     * @param lease the new lease, more than zero
     * @throws StoreException if the database cannot be reached
     */
    @Override
    public void renew(String holder, Collection<UUID> runIds, Duration lease) {
        Objects.requireNonNull(holder, "holder");
        long leaseMs = leaseMillis(lease);
        List<String> ids = runIds.stream().map(UUID::toString).distinct().toList();
        if (ids.isEmpty()) {
            return;
        }
        write("renew slot leases", c -> {
            long expires = now(c) + leaseMs;
            for (List<String> chunk : chunks(ids)) {
                String sql = "UPDATE " + SLOT + " SET expires_ms = ? WHERE holder = ? AND run_id IN "
                        + placeholders(chunk.size());
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setLong(1, expires);
                    s.setString(2, holder);
                    for (int i = 0; i < chunk.size(); i++) {
                        s.setString(3 + i, chunk.get(i));
                    }
                    s.executeUpdate();
                }
            }
            return null;
        });
    }

    /**
     * On PostgreSQL, calls {@code listener} on a thread of the store's whenever another store frees slots
     * or changes a limit; the first call starts that thread, and returns once it listens. SQLite cannot
     * tell, and never calls it.
     *
     * @param listener what to call
     */
    @Override
    public void onSlotsFreed(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        if (dialect != Dialect.POSTGRESQL) {
            return;
        }
        SlotListener started = null;
        synchronized (listenerLock) {
            if (closed.get()) {
                return;
            }
            if (this.listener == null) {
                this.listener = started = new SlotListener(db, pool.getDataSource(), self);
            }
            this.listener.add(listener);
        }
        if (started != null) {
            started.start(Pools.CONNECTION_TIMEOUT_MS);
        }
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
     * Creates a limit on a tag, or sets the limit of an existing one, keeping its id and slots.
     *
     * @param tag the tag
     * @param limit 0 or more
     * @return the limit, with its active slots
     * @throws IllegalArgumentException for an invalid tag or a negative limit
     * @throws StoreException if the database cannot be reached
     */
    @Override
    public ConcurrencyLimit create(String tag, int limit) {
        Tags.check(tag);
        if (limit < 0) {
            throw new IllegalArgumentException("A concurrency limit must be 0 or more, not " + limit);
        }
        return write("create the limit on tag '" + tag + "'", c -> {
            long now = now(c);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + LIMIT
                    + " (id, tag, concurrency_limit, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (tag) DO UPDATE SET concurrency_limit = excluded.concurrency_limit,"
                    + " updated_ms = excluded.updated_ms")) {
                s.setString(1, UUID.randomUUID().toString());
                s.setString(2, tag);
                s.setInt(3, limit);
                s.setLong(4, now);
                s.setLong(5, now);
                s.executeUpdate();
            }
            notifyOthers(c);
            return read(c, tag)
                    .orElseThrow(() -> new SQLException("The limit on tag '" + tag + "' vanished as it was set"));
        });
    }

    /**
     * Reads the limit on a tag, with the runs holding unexpired slots on it, oldest first.
     *
     * @param tag the tag
     * @return the limit, or empty
     * @throws StoreException if the database cannot be reached
     */
    @Override
    public Optional<ConcurrencyLimit> read(String tag) {
        Objects.requireNonNull(tag, "tag");
        return query("read the limit on tag '" + tag + "'", c -> read(c, tag));
    }

    /**
     * Reads every limit, ordered by tag, each with the runs holding unexpired slots on it, oldest first.
     *
     * @return the limits
     * @throws StoreException if the database cannot be reached
     */
    @Override
    public List<ConcurrencyLimit> readAll() {
        return query("read the limits", c -> {
            try (PreparedStatement s = c.prepareStatement(readSql + " ORDER BY s.seq")) {
                return limits(s);
            }
        });
    }

    /**
     * Deletes the limit on a tag and its slots, and on PostgreSQL tells other stores.
     *
     * @param tag the tag
     * @return whether there was one
     * @throws StoreException if the database cannot be reached
     */
    @Override
    public boolean delete(String tag) {
        Objects.requireNonNull(tag, "tag");
        return write("delete the limit on tag '" + tag + "'", c -> {
            int deleted;
            // the limit row first: it waits for an acquire that holds it, whose slots the next statement sees
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + LIMIT + " WHERE tag = ?")) {
                s.setString(1, tag);
                deleted = s.executeUpdate();
            }
            deleteSlots(c, tag);
            if (deleted > 0) {
                notifyOthers(c);
            }
            return deleted > 0;
        });
    }

    /**
     * Frees every slot on a tag, whoever holds it, and on PostgreSQL tells other stores.
     *
     * @param tag the tag
     * @return whether the tag has a limit
     * @throws StoreException if the database cannot be reached
     */
    @Override
    public boolean reset(String tag) {
        Objects.requireNonNull(tag, "tag");
        return write("reset the slots of tag '" + tag + "'", c -> {
            if (lockLimits(c, List.of(tag)).isEmpty()) {
                return false;
            }
            deleteSlots(c, tag);
            notifyOthers(c);
            return true;
        });
    }

    /** Stops listening and closes the pool's connections. Later calls throw {@link StoreException}. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        SlotListener l;
        synchronized (listenerLock) {
            l = listener;
        }
        if (l != null) {
            l.close();
        }
        pool.close();
    }

    @Override
    public String toString() {
        return "JdbcSlotStore[" + describe() + "]";
    }

    // ---- statements -------------------------------------------------------------------------------------

    /** A run's slot on a tag. */
    private record Holding(UUID runId, long seq) {}

    /** The limits among {@code tags}, locked until commit on PostgreSQL. */
    private Map<String, Integer> lockLimits(Connection c, List<String> tags) throws SQLException {
        Map<String, Integer> limits = new HashMap<>();
        String sql = "SELECT tag, concurrency_limit FROM " + LIMIT + " WHERE tag IN " + placeholders(tags.size())
                + " ORDER BY tag" + dialect.forUpdate();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, 1, tags);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    limits.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return limits;
    }

    private void purgeExpired(Connection c, List<String> tags, long now) throws SQLException {
        String sql = "DELETE FROM " + SLOT + " WHERE expires_ms <= ? AND tag IN " + placeholders(tags.size());
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, now);
            bind(s, 2, tags);
            s.executeUpdate();
        }
    }

    /** The slots on each of the tags, oldest first; call after {@link #purgeExpired}. */
    private Map<String, List<Holding>> holdings(Connection c, List<String> tags) throws SQLException {
        Map<String, List<Holding>> holdings = new HashMap<>();
        String sql =
                "SELECT tag, run_id, seq FROM " + SLOT + " WHERE tag IN " + placeholders(tags.size()) + " ORDER BY seq";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, 1, tags);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    holdings.computeIfAbsent(r.getString(1), t -> new ArrayList<>())
                            .add(new Holding(UUID.fromString(r.getString(2)), r.getLong(3)));
                }
            }
        }
        return holdings;
    }

    private void insertSlots(
            Connection c,
            List<String> tags,
            Map<String, List<Holding>> holdings,
            String holder,
            UUID runId,
            String runName,
            long now,
            long expires)
            throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + SLOT
                + " (tag, run_id, run_name, holder, seq, acquired_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (String tag : tags) {
                List<Holding> held = holdings.getOrDefault(tag, List.of());
                s.setString(1, tag);
                s.setString(2, runId.toString());
                s.setString(3, runName);
                s.setString(4, holder);
                s.setLong(5, held.isEmpty() ? 1 : held.getLast().seq + 1);
                s.setLong(6, now);
                s.setLong(7, expires);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private void deleteSlots(Connection c, String tag) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + SLOT + " WHERE tag = ?")) {
            s.setString(1, tag);
            s.executeUpdate();
        }
    }

    private Optional<ConcurrencyLimit> read(Connection c, String tag) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(readSql + " WHERE l.tag = ? ORDER BY s.seq")) {
            s.setString(1, tag);
            List<ConcurrencyLimit> found = limits(s);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        }
    }

    /** Runs a {@link #readSql} query, whose rows are ordered by slot age, and groups them by tag. */
    private static List<ConcurrencyLimit> limits(PreparedStatement s) throws SQLException {
        record Row(UUID id, int limit, long created, long updated, List<ConcurrencyLimit.Slot> slots) {}
        // ordered here rather than by the database, whose collation may differ from Java's order
        Map<String, Row> rows = new TreeMap<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String tag = r.getString(2);
                Row row = rows.get(tag);
                if (row == null) {
                    row = new Row(
                            UUID.fromString(r.getString(1)),
                            r.getInt(3),
                            r.getLong(4),
                            r.getLong(5),
                            new ArrayList<>());
                    rows.put(tag, row);
                }
                String runId = r.getString(6);
                if (runId != null) {
                    row.slots.add(ConcurrencyLimit.Slot.held(
                            UUID.fromString(runId),
                            r.getString(7),
                            r.getString(8),
                            Instant.ofEpochMilli(r.getLong(9))));
                }
            }
        }
        List<ConcurrencyLimit> limits = new ArrayList<>(rows.size());
        rows.forEach((tag, row) -> limits.add(new ConcurrencyLimit(
                row.id,
                tag,
                row.limit,
                row.slots,
                Instant.ofEpochMilli(row.created),
                Instant.ofEpochMilli(row.updated))));
        return limits;
    }

    private long now(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + dialect.now());
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private void notifyOthers(Connection c) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, SlotListener.CHANNEL);
            s.setString(2, self);
            s.execute();
        }
    }

    // ---- transactions -----------------------------------------------------------------------------------

    /** Work on a connection. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in a transaction that may write, again after a retryable failure. */
    private <T> T write(String what, Work<T> work) {
        return attempt(what, true, work);
    }

    /** Runs {@code work} outside a transaction: one statement, which sees one snapshot. */
    private <T> T query(String what, Work<T> work) {
        return attempt(what, false, work);
    }

    private <T> T attempt(String what, boolean transaction, Work<T> work) {
        if (closed.get()) {
            throw new StoreException("The concurrency-limit store " + describe() + " is closed", null);
        }
        boolean serialize = transaction && dialect == Dialect.SQLITE;
        for (int attempt = 1; ; attempt++) {
            if (serialize) {
                sqliteWrites.lock();
            }
            try {
                return transaction ? inTransaction(work) : onConnection(work);
            } catch (SQLException e) {
                if (attempt >= MAX_ATTEMPTS || !dialect.retryable(e)) {
                    throw Failures.failed(db, what, e);
                }
            } finally {
                if (serialize) {
                    sqliteWrites.unlock();
                }
            }
            pause(attempt);
        }
    }

    private <T> T onConnection(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        }
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            dialect.begin(c);
            T result;
            try {
                result = work.run(c);
                dialect.commit(c);
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
            return result;
        }
    }

    private void rollback(Connection c, Exception failure) {
        try {
            dialect.rollback(c);
        } catch (SQLException e) {
            failure.addSuppressed(e);
            pool.evictConnection(c); // it may still be inside the transaction
        }
    }

    /** Waits a little before another attempt, longer each time, at random so that rivals spread out. */
    private static void pause(int attempt) {
        long maxMs = Math.min(200, 10L << attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, maxMs + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while retrying a concurrency-limit database operation", e);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static long leaseMillis(Duration lease) {
        Objects.requireNonNull(lease, "lease");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("A slot lease must be more than zero, not " + lease);
        }
        return Math.max(1, lease.toMillis());
    }

    private static String placeholders(int n) {
        return "(" + String.join(", ", Collections.nCopies(n, "?")) + ")";
    }

    private static void bind(PreparedStatement s, int first, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            s.setString(first + i, values.get(i));
        }
    }

    private static List<List<String>> chunks(List<String> values) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < values.size(); i += MAX_RUNS_PER_RENEWAL) {
            chunks.add(values.subList(i, Math.min(values.size(), i + MAX_RUNS_PER_RENEWAL)));
        }
        return chunks;
    }
}
