package dev.weft.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.spi.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Creates and upgrades the store's tables with Flyway, from the SQL scripts in {@value #LOCATION}; the
 * same scripts serve SQLite and PostgreSQL.
 *
 * <p>Several processes may open the same database for the first time at once, and Flyway alone does not
 * keep them apart: it creates its history table before it takes its own lock, so a second process can find
 * the table empty and fail ("Unable to baseline schema history table ... as it already exists, and is
 * empty"). So on PostgreSQL {@link #migrate} holds an advisory lock of its own, one per schema, around
 * Flyway. SQLite has no such lock: there {@link #exclusively} holds an exclusive lock on a file next to the
 * database ({@code weft.db.lock}) across opening the pool and migrating, and a lock of this process around
 * that, because a file lock belongs to the whole process.
 *
 * <p>A database that has every script already, as nearly every open finds it, is not handed to Flyway at
 * all (see {@link #upToDate}): a process that opens the slot store and the run history would otherwise
 * start Flyway twice, for nothing.
 */
final class Migrations {
    /** Where the scripts live on the class path. */
    static final String LOCATION = "classpath:db/migration/weft";

    /** Flyway's history table, named so that it never meets an application's own Flyway history. */
    static final String HISTORY_TABLE = "weft_schema_history";

    /** The version of the newest script in {@value #LOCATION}: a database that has it is up to date. */
    static final String LATEST_VERSION = "4";

    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    // the first key of the PostgreSQL advisory lock; the second is the schema's hash
    private static final int ADVISORY_LOCK_CLASS = 0x77656674; // "weft"

    private Migrations() {}

    /**
     * Brings the database's tables up to date.
     *
     * <p>A database that already holds other tables (a PostgreSQL schema shared with an application)
     * gets a baseline at version 0 first, so that Flyway creates Weft's tables next to them instead of
     * refusing a non-empty schema. Scripts of a newer Weft that this one does not know are ignored, so
     * that hosts running different versions can share one database.
     *
     * @param db the database
     * @param pool its connections
     * @throws StoreException if the tables cannot be created
     */
    static void migrate(Database db, HikariDataSource pool) {
        if (upToDate(pool)) {
            // most opens: starting Flyway to find nothing to do costs a process a fraction of a second of
            // CPU, and on SQLite holds other processes' writes back meanwhile
            return;
        }
        if (db.dialect() != Dialect.POSTGRESQL) {
            flyway(db, pool);
            return;
        }
        // a failure here closes the pool, and with it the session that may still hold the lock
        try (Connection lock = pool.getConnection()) {
            advisoryLock(lock, "pg_advisory_lock");
            try {
                flyway(db, pool);
            } finally {
                advisoryLock(lock, "pg_advisory_unlock");
            }
        } catch (SQLException e) {
            throw Failures.failed(db, "create Weft's tables", e);
        }
    }

    /**
     * Whether the database has the newest script of this Weft applied, and no migration that failed: then
     * Flyway would find nothing to do, and is not started. Such a database is not validated again (a script
     * changed after it ran goes unseen). Anything else, or a history that cannot be read, is Flyway's to
     * judge.
     */
    static boolean upToDate(DataSource pool) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT version, success FROM " + HISTORY_TABLE);
                ResultSet r = s.executeQuery()) {
            boolean latest = false;
            while (r.next()) {
                if (!r.getBoolean(2)) {
                    return false; // a migration that failed: Flyway says what to do about it
                }
                latest |= LATEST_VERSION.equals(r.getString(1));
            }
            return latest;
        } catch (SQLException e) {
            return false; // no tables yet
        }
    }

    private static void advisoryLock(Connection c, String function) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT " + function + "(?, hashtext(COALESCE(current_schema(), '')))")) {
            s.setInt(1, ADVISORY_LOCK_CLASS);
            s.execute();
        }
    }

    private static void flyway(Database db, DataSource dataSource) {
        try {
            Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(LOCATION)
                    .table(HISTORY_TABLE)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            SQLException sql = sqlCause(e);
            if (sql != null) {
                StoreException failure = Failures.failed(db, "create Weft's tables", sql);
                failure.addSuppressed(e);
                throw failure;
            }
            throw new StoreException(
                    "Cannot create Weft's tables in the " + db.noun() + " " + db.safeUrl() + ": " + Failures.reason(e),
                    e);
        }
    }

    /**
     * Opens a pool on the database and brings its tables up to date: for a SQLite file, creates its
     * directory first, and opens and migrates {@link #exclusively}. The slot store and the run history open
     * their pools this way.
     *
     * @param db the database
     * @return its pool, open, on up-to-date tables
     * @throws StoreException naming the database if it cannot be reached, is damaged, or its tables cannot
     *     be created
     */
    static HikariDataSource open(Database db) {
        if (db.dialect() != Dialect.SQLITE) {
            return openAndMigrate(db);
        }
        Path dir = db.file().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException(
                    "Cannot create the directory " + dir + " for the " + db.noun() + ": " + Failures.reason(e), e);
        }
        return exclusively(db, () -> openAndMigrate(db));
    }

    private static HikariDataSource openAndMigrate(Database db) {
        HikariDataSource pool = Pools.open(db);
        try {
            migrate(db, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    /**
     * Runs {@code work} while no other process, and no other thread of this one, runs it for the same
     * SQLite file.
     *
     * @param db the SQLite database
     * @param work what to run
     * @param <T> what it returns
     * @return what {@code work} returned
     * @throws StoreException if the lock file cannot be created or locked
     */
    static <T> T exclusively(Database db, Supplier<T> work) {
        Path database = db.file();
        Path lockFile = database.resolveSibling(database.getFileName() + ".lock");
        IN_PROCESS.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock(); // closing the channel releases it, also when work throws
            T result = work.get();
            lock.release();
            return result;
        } catch (IOException e) {
            throw new StoreException(
                    "Cannot lock " + lockFile + " to create the tables of the " + db.noun() + " " + database + ": "
                            + Failures.reason(e),
                    e);
        } finally {
            IN_PROCESS.unlock();
        }
    }

    private static SQLException sqlCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }
}
