package dev.weft.store;

import dev.weft.spi.StoreException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * Turns what JDBC, HikariCP and Flyway throw into {@link StoreException}s whose message is one readable
 * line naming the database, without its password. The original error stays attached as the cause.
 */
final class Failures {
    // SQLite's primary result codes for a file whose pages make no sense, and for one that is no database
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    private Failures() {}

    /**
     * The database could not be reached (or, for SQLite, opened), or refused the connection.
     *
     * @param db the database
     * @param cause what went wrong
     * @return the exception
     */
    static StoreException unreachable(Database db, Throwable cause) {
        StoreException damaged = damaged(db, cause);
        if (damaged != null) {
            return damaged;
        }
        String verb = db.dialect() == Dialect.SQLITE ? "open" : "reach";
        return new StoreException(
                "Cannot " + verb + " the " + db.noun() + " " + db.safeUrl() + ": " + reason(cause), cause);
    }

    /**
     * A statement failed: reports it as {@link #unreachable} when the connection is the problem, else as a
     * refusal of {@code what}.
     *
     * @param db the database
     * @param what what the store was doing, such as {@code acquire slots}
     * @param cause the failure
     * @return the exception
     */
    static StoreException failed(Database db, String what, SQLException cause) {
        StoreException damaged = damaged(db, cause);
        if (damaged != null) {
            return damaged;
        }
        if (connectionLost(cause)) {
            return unreachable(db, cause);
        }
        return new StoreException(
                "The " + db.noun() + " " + db.safeUrl() + " failed to " + what + ": " + reason(cause), cause);
    }

    /**
     * A SQLite file that is not a database, or whose pages make no sense: someone wrote into it, or a disk
     * lost part of it. Says so, and what to do, whatever the store was doing.
     *
     * @param db the database
     * @param cause what went wrong
     * @return the exception, or null if the cause is not a damaged SQLite file
     */
    static StoreException damaged(Database db, Throwable cause) {
        if (db.dialect() != Dialect.SQLITE) {
            return null;
        }
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s) {
                int primary = s.getErrorCode() & 0xff; // extended result codes keep the primary one in the low byte
                String what = primary == SQLITE_NOTADB
                        ? "file is not a database"
                        : primary == SQLITE_CORRUPT ? "database disk image is malformed" : null;
                if (what != null) {
                    return new StoreException(
                            "The " + db.noun() + " " + db.describe() + " is damaged (" + what
                                    + "): move it away, and Weft makes a new, empty one on next use, whose limits"
                                    + " must be set again",
                            cause);
                }
            }
        }
        return null;
    }

    /**
     * The deepest message in a chain of causes, on one line.
     *
     * @param t the error
     * @return the message, or the type's name where no error in the chain has one
     */
    static String reason(Throwable t) {
        Throwable deepest = t;
        String message = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            deepest = c;
            String m = c.getMessage();
            if (m != null && !m.isBlank()) {
                message = c instanceof UnknownHostException ? "unknown host " + m : m;
            }
        }
        if (message == null) {
            return deepest.getClass().getSimpleName();
        }
        return Database.redact(message.strip().replaceAll("\\s*\\R\\s*", " "));
    }

    private static boolean connectionLost(SQLException e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLTransientConnectionException || c instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (c instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 08: connection exception; 57P01-3: the server shuts down or is starting; 53300: too many
                // connections; 28: invalid authorization; 3D000: no such database
                if (state.startsWith("08")
                        || state.startsWith("57P")
                        || state.equals("53300")
                        || state.startsWith("28")
                        || state.equals("3D000")) {
                    return true;
                }
            }
        }
        return false;
    }
}
