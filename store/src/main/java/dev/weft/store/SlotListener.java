package dev.weft.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL's {@value #CHANNEL} channel, on a daemon thread with a connection of its own
 * (outside the pool, which would take it back), and calls the store's listeners when another store frees
 * slots or changes a limit.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>Each store sends its own id as the payload when its own process has woken its waiting runs
 *       already, and ignores notifications that carry it; an empty payload (a wait that ended, which may
 *       put another run of this process first) wakes every store, its sender's too.
 *   <li>The thread polls {@link PGConnection#getNotifications(int)} with a short timeout, so that {@link
 *       #close()} is seen soon, and sends {@code SELECT 1} after a quiet while, so that a connection the
 *       network dropped without a word is noticed.
 *   <li>After a lost connection it reconnects with a growing back-off, and then calls the listeners once:
 *       notifications sent while it was away are lost, and a needless retry costs one query.
 *   <li>Notifications are database-wide, not per schema: stores in other schemas of the same database wake
 *       these listeners too, which costs a retry and nothing else.
 * </ul>
 */
final class SlotListener implements ChangeFeed {
    /** The channel that stores notify when slots come free or limits change. */
    static final String CHANNEL = "weft_slots";

    /** The name the listener's connection shows in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "weft-listener";

    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.store");
    private static final int POLL_MS = 250;
    private static final long CHECK_AFTER_QUIET_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long BACKOFF_MIN_MS = 250;
    private static final long BACKOFF_MAX_MS = 30_000;

    private final Database db;
    private final DataSource connections;
    private final String self;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Makes the listener; {@link #start} starts its thread.
     *
     * @param db the database, for logs
     * @param connections where to get a connection of its own: not a pool
     * @param self the payload of this store's own notifications
     */
    SlotListener(Database db, DataSource connections, String self) {
        this.db = db;
        this.connections = connections;
        this.self = self;
        this.thread =
                Thread.ofPlatform().name("weft-slots-listener").daemon(true).unstarted(this::run);
    }

    @Override
    public void add(Runnable listener) {
        listeners.add(listener);
    }

    /** Starts listening, and returns once the first {@code LISTEN} went through or failed, or after the timeout. */
    @Override
    public void start(long timeoutMillis) {
        thread.start();
        try {
            firstAttempt.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            listen();
        } finally {
            firstAttempt.countDown(); // closed before it began: let start() return
        }
    }

    private void listen() {
        long backoff = BACKOFF_MIN_MS;
        boolean missed = false;
        while (!closed) {
            try (Connection c = connections.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("SET application_name = '" + APPLICATION_NAME + "'");
                s.execute("LISTEN " + CHANNEL);
                firstAttempt.countDown();
                if (missed) {
                    LOG.info("Listening for freed slots in {} again", db.describe());
                    fire();
                }
                backoff = BACKOFF_MIN_MS;
                poll(c.unwrap(PGConnection.class), s);
            } catch (SQLException | RuntimeException e) {
                firstAttempt.countDown();
                if (closed) {
                    return;
                }
                LOG.warn(
                        "Lost the connection that listens for freed slots in {}; retrying in {} ms: {}",
                        db.describe(),
                        backoff,
                        Failures.reason(e));
                missed = true;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return; // close()
                }
                backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
            }
        }
    }

    private void poll(PGConnection connection, Statement s) throws SQLException {
        long quietSince = System.nanoTime();
        while (!closed) {
            PGNotification[] notifications = connection.getNotifications(POLL_MS);
            if (notifications != null && notifications.length > 0) {
                quietSince = System.nanoTime();
                for (PGNotification n : notifications) {
                    if (!self.equals(n.getParameter())) {
                        fire();
                        break;
                    }
                }
            } else if (System.nanoTime() - quietSince > CHECK_AFTER_QUIET_NS) {
                s.execute("SELECT 1");
                quietSince = System.nanoTime();
            }
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
            thread.join(POLL_MS * 8L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
