package dev.weft.store;

/**
 * Tells a store's listeners that another connection may have freed slots or changed a limit: {@link
 * SlotListener} on PostgreSQL, {@link SqliteWatcher} on a SQLite file. Each runs one daemon thread of its
 * own, started by {@link #start}, and calls the listeners on it.
 */
interface ChangeFeed extends AutoCloseable {
    /**
     * Adds a listener, called on the feed's thread. Safe to call from any thread, before or after {@link
     * #start}.
     *
     * @param listener what to call
     */
    void add(Runnable listener);

    /**
     * Starts the thread, and returns once it watches (or failed to begin), or after {@code timeoutMillis}, so
     * that a change right after this returns is not missed. Call once.
     *
     * @param timeoutMillis how long to wait for the thread to begin watching
     */
    void start(long timeoutMillis);

    /** Stops the thread and closes its connection, waiting a short while for it; never throws. */
    @Override
    void close();
}
