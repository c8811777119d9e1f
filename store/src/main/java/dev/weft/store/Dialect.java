package dev.weft.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What differs between the two databases the store speaks to: the clock, row locks, how a write
 * transaction begins and ends, and which errors are worth retrying. Everything else is the same SQL.
 */
enum Dialect {
    /**
     * A SQLite file, shared by the processes of one machine.
     *
     * <p>Writes begin with {@code BEGIN IMMEDIATE}, which takes the database's write lock up front, so
     * that an acquire never reads counts that another process is about to change, and never has to upgrade
     * a read lock into a write lock (an upgrade can fail at once with {@code SQLITE_BUSY}, whatever the
     * busy timeout). The statements run on a connection left in auto-commit mode: sqlite-jdbc's own
     * {@code commit()} begins the next transaction at once, which would take the write lock again right
     * after giving it up, and can fail with {@code SQLITE_BUSY} although the commit went through.
     */
    SQLITE("SQLite", "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)", "") {
        @Override
        void begin(Connection c) throws SQLException {
            execute(c, "BEGIN IMMEDIATE");
        }

        @Override
        void commit(Connection c) throws SQLException {
            execute(c, "COMMIT");
        }

        @Override
        void rollback(Connection c) throws SQLException {
            execute(c, "ROLLBACK");
        }

        @Override
        boolean retryable(SQLException e) {
            int primary = e.getErrorCode() & 0xff; // extended result codes keep the primary one in the low byte
            return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
        }
    },

    /**
     * A PostgreSQL database, shared by processes on many hosts. Acquire locks the limit rows of a run's
     * tags with {@code SELECT ... FOR UPDATE}, in tag order so that two acquires never wait on each other
     * in a cycle.
     */
    POSTGRESQL("PostgreSQL", "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)", " FOR UPDATE") {
        @Override
        void begin(Connection c) throws SQLException {
            c.setAutoCommit(false);
        }

        @Override
        void commit(Connection c) throws SQLException {
            c.commit();
        }

        @Override
        void rollback(Connection c) throws SQLException {
            c.rollback();
        }

        @Override
        boolean retryable(SQLException e) {
            String state = e.getSQLState();
            return "40001".equals(state) || "40P01".equals(state); // serialization failure, deadlock
        }
    };

    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;

    private final String label;
    private final String now;
    private final String forUpdate;

    Dialect(String label, String now, String forUpdate) {
        this.label = label;
        this.now = now;
        this.forUpdate = forUpdate;
    }

    /** The database's name for people, such as {@code PostgreSQL}. */
    String label() {
        return label;
    }

    /** An SQL expression for the database's clock, in milliseconds since the epoch. */
    String now() {
        return now;
    }

    /** What to append to a {@code SELECT} to lock the rows it reads until commit, or nothing. */
    String forUpdate() {
        return forUpdate;
    }

    /** Begins a transaction that may write. */
    abstract void begin(Connection c) throws SQLException;

    /** Commits the transaction {@link #begin} began. */
    abstract void commit(Connection c) throws SQLException;

    /** Rolls back the transaction {@link #begin} began. */
    abstract void rollback(Connection c) throws SQLException;

    /** Whether a transaction that failed with {@code e} may succeed if run again. */
    abstract boolean retryable(SQLException e);

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
