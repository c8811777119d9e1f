package dev.weft.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a SQLite file for commits of other connections, in this process or another, on a daemon thread
 * with a connection of its own (outside the pool), and calls the store's listeners when one committed.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>SQLite's {@code PRAGMA data_version} changes on a connection when another connection commits a
 *       change to the file, whichever process it belongs to, and stays the same for a transaction that
 *       wrote nothing. In WAL mode it reads the shared-memory index only: a poll costs microseconds, takes
 *       no lock that a writer waits for, and touches no page of the database. So polling it every {@value
 *       #SQLITE_CHANGE_POLL_MS} ms tells waiting runs of a release about as fast as a notification would.
 *   <li>It cannot tell who committed: this store's own commits wake its listeners too, a call too many
 *       that costs the engine one retry. A retry that finds the tag full writes nothing, so processes
 *       waiting on one file do not wake each other in a loop.
 *   <li>Each poll runs in auto-commit mode and closes its result at once, so that the connection never
 *       holds a read transaction that would keep a checkpoint from resetting the write-ahead log.
 *   <li>After a failure (a file that was removed or damaged) it reconnects with a growing back-off, logs
 *       the first failure of a streak, and calls the listeners once it watches again.
 * </ul>
 */
final class SqliteWatcher implements ChangeFeed {
    /** How often the watcher asks the file whether another connection committed, in milliseconds. */
    static final long SQLITE_CHANGE_POLL_MS = 20;

    /** The name of the watcher's thread. */
    static final String THREAD_NAME = "weft-slots-watcher";

    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.store");
    private static final long BACKOFF_MIN_MS = 250;
    private static final long BACKOFF_MAX_MS = 30_000;

    private final Database db;
    private final DataSource connections;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstRead = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Makes the watcher; {@link #start} starts its thread.
     *
     * @param db the SQLite file, for logs
     * @param connections where to get a connection of its own: not a pool
     */
    SqliteWatcher(Database db, DataSource connections) {
        this.db = db;
        this.connections = connections;
        this.thread = Thread.ofPlatform().name(THREAD_NAME).daemon(true).unstarted(this::run);
    }

    @Override
    public void add(Runnable listener) {
        listeners.add(listener);
    }

    /** Starts watching, and returns once the file's first version is read, or failed, or after the timeout. */
    @Override
    public void start(long timeoutMillis) {
        thread.start();
        try {
            firstRead.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            watch();
        } finally {
            firstRead.countDown(); // closed before it began: let start() return
        }
    }

    private void watch() {
        long backoff = BACKOFF_MIN_MS;
        boolean failing = false;
        while (!closed) {
            try (Connection c = connections.getConnection();
                    PreparedStatement s = c.prepareStatement("PRAGMA data_version")) {
                long seen = version(s);
                firstRead.countDown();
                if (failing) {
                    LOG.info("Watching {} for freed slots again", db.describe());
                    failing = false;
                    fire(); // commits made while it was away went unseen
                }
                backoff = BACKOFF_MIN_MS;
                while (!closed) {
                    Thread.sleep(SQLITE_CHANGE_POLL_MS);
                    long now = version(s);
                    if (now != seen) {
                        seen = now;
                        fire();
                    }
                }
            } catch (InterruptedException e) {
                return; // close()
            } catch (SQLException | RuntimeException e) {
                firstRead.countDown();
                if (closed) {
                    return;
                }
                if (!failing) {
                    LOG.warn(
                            "Cannot watch {} for freed slots; retrying, waiting runs ask again every slot wait"
                                    + " meanwhile: {}",
                            db.describe(),
                            e instanceof SQLException sql
                                    ? Failures.failed(db, "watch for changes", sql)
                                            .getMessage()
                                    : Failures.reason(e));
                    failing = true;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return; // close()
                }
                backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
            }
        }
    }

    private static long version(PreparedStatement s) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("A listener for freed slots in {} failed", db.describe(), e);
            }
        }
    }

    /** Stops the thread and closes its connection, waiting at most a few polls for it. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(SQLITE_CHANGE_POLL_MS * 25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
