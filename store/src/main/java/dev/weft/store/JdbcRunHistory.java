package dev.weft.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.Settings;
import dev.weft.StateType;
import dev.weft.spi.RunHistory;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import dev.weft.spi.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RunHistory} over JDBC, in the store's database: the SQLite file {@code weft.db} in Weft's home
 * that the processes of one machine share, or the PostgreSQL database that {@link Settings#databaseUrl()}
 * names. The concurrency limits live in the same database, in tables of their own.
 *
 * <p>Instances are safe for one writer and any number of readers at once, and many instances, in any
 * number of processes, may use the same database: what one process writes, every other reads once it is
 * committed. Every method may block on IO. Failures throw {@link StoreException}, whose message is one line
 * naming the database without its password.
 *
 * <p>Retention. Flow runs that ended go, with their task runs and their subflow runs, once they are older
 * than the most age, or once there are more flow runs than the most runs (the oldest that ended go first).
 * Flow runs still running are never removed. Retention applies when the history opens, and then at most
 * once a minute, after a {@link #write}. Both are read when the history opens, system property first:
 *
 * <table>
 * <caption>Retention settings</caption>
 * <tr><th>setting</th><th>system property</th><th>environment variable</th><th>default</th></tr>
 * <tr><td>most age</td><td>{@value #MAX_AGE_PROPERTY}</td><td>{@code WEFT_HISTORY_MAX_AGE}</td>
 *     <td>{@code 30d}</td></tr>
 * <tr><td>most flow runs</td><td>{@value #MAX_RUNS_PROPERTY}</td><td>{@code WEFT_HISTORY_MAX_RUNS}</td>
 *     <td>{@code 10000}</td></tr>
 * </table>
 *
 * <p>The most age is a duration: {@code 30d}, {@code 12h}, {@code 90m}, {@code 30s} or ISO-8601 ({@code
 * P7D}); the most flow runs a whole number, 1 or more. Subflow runs count as flow runs.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>One row per flow run, the later record of a run replacing the earlier one ({@code INSERT ... ON
 *       CONFLICT DO UPDATE}, the same on both databases): a flow run is written as it begins, so that
 *       other processes see it run, and again at its end.
 *   <li>Task runs that the engine writes, each once, at its end, come through {@link #append}: a flow
 *       run's task runs of a batch are packed into one row of {@code weft_task_pack} ({@code TaskPacks},
 *       about 15 bytes a run), with their counts by state, earliest start and latest end beside them, so
 *       that counting reads no pack, and listing in start order or the latest to end reads the packs in
 *       that order only as far as the limit. Task runs given to {@link #write} take a row each in {@code
 *       weft_task_run}, a later record replacing the earlier one; every read takes both tables.
 *   <li>{@link #write} is one transaction per batch, one JDBC batch per table, on statements prepared once
 *       per batch. On SQLite the file's write lock is taken up front ({@code BEGIN IMMEDIATE}), and a batch
 *       that meets a busy file runs again, as the slot store's transactions do (see {@link Transactions});
 *       the pool runs SQLite in WAL mode with {@code synchronous=NORMAL}, so readers never wait for the
 *       writer and a commit does not wait for the disk.
 *   <li>Task runs are what there are many of, so each byte of theirs counts. Rows and packs are keyed by a
 *       number of their flow run ({@code weft_run_key}: 8 bytes where the id takes 36, drawn at random and
 *       never reused while the flow run is kept; the writer remembers the numbers it used). A row is keyed
 *       by that number and its name, and carries one index besides, by flow run, state and start: counts
 *       by state from the index alone, the runs of one state in start order, and all runs in start order by
 *       merging the states'. Packs carry one index, by flow run and latest end. States are stored as fixed
 *       numbers, times as epoch microseconds (rounded down).
 * </ul>
 */
public final class JdbcRunHistory implements RunHistory {
    /** The system property for how long flow runs that ended are kept; environment {@code WEFT_HISTORY_MAX_AGE}. */
    public static final String MAX_AGE_PROPERTY = HistoryRetention.MAX_AGE_PROPERTY;

    /** The system property for how many flow runs are kept at most; environment {@code WEFT_HISTORY_MAX_RUNS}. */
    public static final String MAX_RUNS_PROPERTY = HistoryRetention.MAX_RUNS_PROPERTY;

    /** How long flow runs that ended are kept unless the settings say: 30 days. */
    public static final Duration DEFAULT_MAX_AGE = HistoryRetention.DEFAULT_MAX_AGE;

    /** How many flow runs are kept at most unless the settings say. */
    public static final int DEFAULT_MAX_RUNS = HistoryRetention.DEFAULT_MAX_RUNS;

    private static final long RETENTION_PERIOD_NS = TimeUnit.MINUTES.toNanos(1);

    private final Database db;
    private final HikariDataSource pool;
    private final Transactions tx;
    private final HistoryTables tables = new HistoryTables();
    private final HistoryRetention retention;
    // guarded by this: the writer's, and retention's, which removes keys
    private final RunKeys runKeys = new RunKeys();
    // guarded by this: the writer's
    private final TaskPacks packer = new TaskPacks();
    /** When retention last ran, on {@link System#nanoTime()}'s clock. Guarded by this. */
    private long retainedAtNs;

    /** How often the readers look for running flow runs whose process is gone. */
    private static final long ORPHANS_PERIOD_NS = TimeUnit.SECONDS.toNanos(1);

    private volatile long orphansAtNs = System.nanoTime() - ORPHANS_PERIOD_NS;

    private JdbcRunHistory(Database db, HikariDataSource pool, HistoryRetention retention) {
        this.db = db;
        this.pool = pool;
        this.tx = new Transactions(db, pool);
        this.retention = retention;
    }

    /**
     * Opens the history in the database the settings name, creating its tables on first use: PostgreSQL for
     * a {@code jdbc:postgresql:} URL, SQLite for a {@code jdbc:sqlite:} URL, else the SQLite file {@code
     * weft.db} in the home, which is created if missing. Then applies the retention that the system
     * properties and environment say. Fails fast: one attempt to connect.
     *
     * @param settings the settings
     * @return the history, open
     * @throws StoreException naming the database, on one line, if it cannot be reached, its URL names
     *     another kind of database, its SQLite file is damaged, or its tables cannot be created
     * @throws IllegalArgumentException naming a retention setting whose value is invalid
     */
    public static JdbcRunHistory open(Settings settings) {
        return open(settings, HistoryRetention.load());
    }

    /** Opens the history with the given retention, applied at once. */
    static JdbcRunHistory open(Settings settings, HistoryRetention retention) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(retention, "retention");
        Database db = Database.of(settings, Database.HISTORY);
        HikariDataSource pool = Migrations.open(db);
        JdbcRunHistory history = new JdbcRunHistory(db, pool, retention);
        try {
            history.retain();
        } catch (RuntimeException e) {
            history.close();
            throw e;
        }
        return history;
    }

    /**
     * Writes a batch of records in one transaction, each replacing an earlier record of the same run; then,
     * at most once a minute, applies the retention.
     *
     * @param batch the records, in the order the runs reached their states
     * @throws StoreException if the database cannot take them; none of the batch is written then
     */
    @Override
    public synchronized void write(List<RunRecord> batch) {
        store(batch, false);
    }

    /**
     * Writes a batch as {@link #write} does, in one transaction, but keeps its task runs packed many to a
     * row ({@code weft_task_pack}) without looking for earlier records of them: the engine's task runs,
     * each written once, when it ends.
     *
     * @param batch the records, in the order the runs reached their states
     * @throws StoreException if the database cannot take them; none of the batch is written then
     */
    @Override
    public synchronized void append(List<RunRecord> batch) {
        store(batch, true);
    }

    /** Writes a batch in one transaction, its task runs packed or a row each; then retention, when due. */
    private void store(List<RunRecord> batch, boolean packed) {
        if (batch.isEmpty()) {
            return;
        }
        tx.write("write the run history", c -> {
            if (packed) {
                tables.append(c, batch, runKeys, packer);
            } else {
                tables.write(c, batch, runKeys);
            }
            return null;
        });
        runKeys.committed();
        if (System.nanoTime() - retainedAtNs >= RETENTION_PERIOD_NS) {
            retain();
        }
    }

    /**
     * Removes the flow runs that the retention no longer keeps.
     *
     * @return how many flow runs it removed, not counting the subflow runs that went with them
     * @throws StoreException if the database cannot be written
     */
    synchronized int retain() {
        retainedAtNs = System.nanoTime();
        runKeys.forget();
        long oldest;
        try {
            oldest = HistoryTables.micros(Instant.now().minus(retention.maxAge()));
        } catch (DateTimeException | ArithmeticException e) {
            oldest = Long.MIN_VALUE; // an age longer than the epoch's: none is that old
        }
        long before = oldest;
        return tx.write("apply the run history's retention", c -> {
            LinkedHashSet<String> ids = new LinkedHashSet<>(tables.endedBefore(c, before));
            ids.addAll(tables.beyondNewest(c, retention.maxRuns()));
            return removeWithSubflows(c, new ArrayList<>(ids));
        });
    }

    private int removeWithSubflows(Connection c, List<String> ids) throws SQLException {
        tables.remove(c, ids);
        return ids.size();
    }

    /**
     * Lists flow runs, newest first: by when they started, else when they ended.
     *
     * @param query which ones
     * @return their records
     * @throws StoreException if the database cannot be read
     */
    @Override
    public List<RunRecord> flowRuns(RunQuery query) {
        Objects.requireNonNull(query, "query");
        endOrphans();
        return tx.query("read flow runs", c -> tables.flowRuns(c, query));
    }

    /**
     * Finds one flow run by its id, or by its name (the newest of that name).
     *
     * @param nameOrId its name or id
     * @return its record, or empty if the history has none
     * @throws StoreException if the database cannot be read
     */
    @Override
    public Optional<RunRecord> flowRun(String nameOrId) {
        Objects.requireNonNull(nameOrId, "nameOrId");
        endOrphans();
        return tx.query("read the flow run " + nameOrId, c -> tables.flowRun(c, nameOrId));
    }

    /**
     * Ends, as {@code CRASHED}, the running flow runs of this host whose process is gone ({@link
     * RunRecord#processGone()}): killed, they could not say so themselves. At most once a second; a flow run
     * that its process ended meanwhile keeps its own end.
     */
    private void endOrphans() {
        long now = System.nanoTime();
        if (now - orphansAtNs < ORPHANS_PERIOD_NS) {
            return;
        }
        orphansAtNs = now;
        List<RunRecord> orphans = tx
                .query(
                        "read the running flow runs",
                        c -> tables.flowRuns(c, RunQuery.all().inState(StateType.RUNNING)))
                .stream()
                .filter(RunRecord::processGone)
                .toList();
        if (orphans.isEmpty()) {
            return;
        }
        Instant found = Instant.now();
        tx.write("end the flow runs whose process is gone", c -> {
            for (RunRecord orphan : orphans) {
                tables.endIfRunning(c, orphan.crashedWithItsProcess(found));
            }
            return null;
        });
    }

    /**
     * Lists the task runs of a flow run in the order they started, those that never started last.
     *
     * @param flowRunId the flow run's id
     * @param state only those in this state, or null for all
     * @param limit the most to return, 0 or more
     * @return their records
     * @throws StoreException if the database cannot be read
     */
    @Override
    public List<RunRecord> taskRuns(String flowRunId, StateType state, int limit) {
        Objects.requireNonNull(flowRunId, "flowRunId");
        if (checkLimit(limit) == 0) {
            return List.of();
        }
        return tx.query("read task runs", c -> tables.taskRuns(c, flowRunId, state, limit));
    }

    /**
     * Lists the task runs of a flow run that ended last, the newest first.
     *
     * @param flowRunId the flow run's id
     * @param limit the most to return, 0 or more
     * @return their records
     * @throws StoreException if the database cannot be read
     */
    @Override
    public List<RunRecord> latestTaskRuns(String flowRunId, int limit) {
        Objects.requireNonNull(flowRunId, "flowRunId");
        if (checkLimit(limit) == 0) {
            return List.of();
        }
        return tx.query("read task runs", c -> tables.latestTaskRuns(c, flowRunId, limit));
    }

    /**
     * Counts the task runs of a flow run by state, in the database.
     *
     * @param flowRunId the flow run's id
     * @return the count of each state that has runs
     * @throws StoreException if the database cannot be read
     */
    @Override
    public Map<StateType, Long> countTaskRuns(String flowRunId) {
        Objects.requireNonNull(flowRunId, "flowRunId");
        return tx.query("count task runs", c -> tables.countTaskRuns(c, flowRunId));
    }

    /**
     * Removes the flow runs that match and have ended, in one transaction, with their task runs and the
     * subflow runs below them that ended.
     *
     * @param query which flow runs; its limit is ignored
     * @return how many flow runs matched and were removed, not counting the subflow runs removed with them
     * @throws StoreException if the database cannot be written
     */
    @Override
    public synchronized int remove(RunQuery query) {
        Objects.requireNonNull(query, "query");
        runKeys.forget(); // the keys of the flow runs removed go with them
        return tx.write("remove flow runs", c -> removeWithSubflows(c, tables.ended(c, query)));
    }

    /**
     * Says where the history lives: {@code SQLite file /home/ann/.weft/weft.db} or {@code PostgreSQL
     * jdbc:postgresql://db.example.org/weft}, without passwords.
     *
     * @return the description
     */
    @Override
    public String describe() {
        return db.describe();
    }

    /** Closes the pool's connections. Later calls throw {@link StoreException}; closing again does nothing. */
    @Override
    public void close() {
        if (tx.close()) {
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "JdbcRunHistory[" + describe() + "]";
    }

    private static int checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("A limit must be 0 or more, not " + limit);
        }
        return limit;
    }
}
