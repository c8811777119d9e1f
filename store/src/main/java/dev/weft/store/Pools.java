package dev.weft.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weft.spi.StoreException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the HikariCP pool of a database, failing fast: one attempt to connect, and a readable {@link
 * StoreException} when it fails. Connections stay in auto-commit mode; the store begins its transactions
 * itself.
 */
final class Pools {
    /** How long a caller waits for a connection, from the pool or from the network. */
    static final long CONNECTION_TIMEOUT_MS = 5_000;

    /** How long a SQLite statement waits for another process's write lock before it fails as busy. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;

    /** How long a PostgreSQL statement may wait for the server, unless the URL says otherwise. */
    static final int POSTGRESQL_SOCKET_TIMEOUT_S = 30;

    private static final int POSTGRESQL_CONNECT_TIMEOUT_S = (int) (CONNECTION_TIMEOUT_MS / 1000);
    private static final int POSTGRESQL_POOL_SIZE = 8;
    // SQLite writes one at a time anyway; a few connections let reads run beside a write (WAL)
    private static final int SQLITE_POOL_SIZE = 4;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private Pools() {}

    /**
     * Opens a pool on the database, with one connection made at once.
     *
     * @param db the database
     * @return the pool
     * @throws StoreException naming the database if it cannot be reached
     */
    static HikariDataSource open(Database db) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("weft-store-" + POOLS.incrementAndGet());
        config.setDataSource(db.dialect() == Dialect.SQLITE ? sqlite(db) : postgresql(db));
        config.setAutoCommit(true);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setValidationTimeout(CONNECTION_TIMEOUT_MS / 2);
        config.setInitializationFailTimeout(1); // one attempt, then fail instead of retrying in the background
        config.setMinimumIdle(1);
        config.setMaximumPoolSize(db.dialect() == Dialect.SQLITE ? SQLITE_POOL_SIZE : POSTGRESQL_POOL_SIZE);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) { // HikariPool.PoolInitializationException, with the driver's error inside
            throw Failures.unreachable(db, e);
        }
    }

    private static DataSource sqlite(Database db) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // WAL with NORMAL syncs at checkpoints only: a power cut may lose the last leases, never the file
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        // for those that begin through JDBC (Flyway): take the write lock up front
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(db.url());
        return ds;
    }

    private static DataSource postgresql(Database db) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        try {
            ds.setURL(db.url());
        } catch (IllegalArgumentException e) { // its message holds the whole URL, password included
            throw new StoreException(
                    "Malformed PostgreSQL URL " + db.safeUrl()
                            + ": write it as jdbc:postgresql://host:port/database?user=name",
                    null);
        }
        String lower = db.url().toLowerCase(Locale.ROOT);
        if (!lower.contains("connecttimeout=")) {
            ds.setConnectTimeout(POSTGRESQL_CONNECT_TIMEOUT_S);
        }
        if (!lower.contains("sockettimeout=")) {
            ds.setSocketTimeout(POSTGRESQL_SOCKET_TIMEOUT_S);
        }
        if (!lower.contains("applicationname=")) {
            ds.setApplicationName("weft");
        }
        return ds;
    }
}
