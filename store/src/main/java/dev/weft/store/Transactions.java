package dev.weft.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.spi.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the store's work on a connection of its pool, in a transaction for writes, again after a failure
 * that a second try may not meet (a busy SQLite file, a PostgreSQL deadlock), and turns every other
 * failure into a one-line {@link StoreException} through {@link Failures}.
 *
 * <p>Safe for use by many threads. SQLite writes of one instance go one at a time, queued on a lock of this
 * process rather than in SQLite's busy handler, which holds a carrier thread while it waits.
 */
final class Transactions {
    /** How many times a transaction runs at most when it fails on a busy database or a deadlock. */
    static final int MAX_ATTEMPTS = 8;

    private static final long PAUSE_MAX_MS = 200;

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        /**
         * Does the work.
         *
         * @param c the connection, inside the transaction for a write
         * @return the result
         * @throws SQLException when a statement fails
         */
        T run(Connection c) throws SQLException;
    }

    private final Database db;
    private final HikariDataSource pool;
    private final Dialect dialect;
    private final ReentrantLock sqliteWrites = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    Transactions(Database db, HikariDataSource pool) {
        this.db = db;
        this.pool = pool;
        this.dialect = db.dialect();
    }

    /** Runs {@code work} in a transaction that may write, again after a retryable failure. */
    <T> T write(String what, Work<T> work) {
        return attempt(what, true, work);
    }

    /** Runs {@code work} outside a transaction: one statement, which sees one snapshot. */
    <T> T query(String what, Work<T> work) {
        return attempt(what, false, work);
    }

    /** Whether {@link #close} was called. */
    boolean closed() {
        return closed.get();
    }

    /** Refuses later work; says whether this call closed it (false if it was closed already). */
    boolean close() {
        return closed.compareAndSet(false, true);
    }

    private <T> T attempt(String what, boolean transaction, Work<T> work) {
        if (closed.get()) {
            throw new StoreException("The " + db.noun() + " " + db.describe() + " is closed", null);
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
    private void pause(int attempt) {
        long maxMs = Math.min(PAUSE_MAX_MS, 10L << attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, maxMs + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(
                    "Interrupted while retrying an operation on the " + db.noun() + " " + db.describe(), e);
        }
    }
}
