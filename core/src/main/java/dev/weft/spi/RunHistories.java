package dev.weft.spi;

import dev.weft.internal.History;
import dev.weft.internal.InMemoryHistory;
import java.time.Duration;

/**
 * The run history this process's flows write to. By default the first {@link RunHistoryProvider} on the
 * class path (the store: a SQLite file, or PostgreSQL) opens it on first use; without one, it is kept in
 * this process's memory, bounded. The system property {@code weft.history} (environment {@code
 * WEFT_HISTORY}) set to {@code off} turns it off, and to {@code memory} keeps it in memory.
 */
public final class RunHistories {
    private RunHistories() {}

    /**
     * Makes this process's flows write their history to {@code history} from now on, for embedding Weft
     * and for tests. {@code null} goes back to the default, opened on next use. The previous history is not
     * closed.
     *
     * @param history the history, or null for the default
     * @return the previous history, or null if none was open yet
     */
    public static RunHistory use(RunHistory history) {
        return History.use(history);
    }

    /**
     * Returns the history this process's flows write to, opening it if needed.
     *
     * @return the history, or null if the history is off
     */
    public static RunHistory current() {
        return History.current();
    }

    /**
     * Returns a new history kept in memory, bounded.
     *
     * @param maxRecords the most records (flow runs and task runs) it keeps; older flow runs that ended go
     *     first
     * @return the history
     */
    public static RunHistory inMemory(int maxRecords) {
        return new InMemoryHistory(maxRecords);
    }

    /**
     * Waits until the records of every run that ended before this call are written, as a process does
     * before it exits.
     *
     * @param patience how long to wait at most
     * @return whether they were all written in time
     */
    public static boolean flush(Duration patience) {
        return History.flush(patience);
    }
}
