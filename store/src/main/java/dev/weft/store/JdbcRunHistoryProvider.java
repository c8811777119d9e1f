package dev.weft.store;

import dev.weft.Settings;
import dev.weft.spi.RunHistory;
import dev.weft.spi.RunHistoryProvider;

/**
 * Opens a {@link JdbcRunHistory}: registered for {@link java.util.ServiceLoader}, so that putting {@code
 * dev.weft:weft-store} on the class path makes every flow of the process write its run history to the
 * database that {@link Settings} name, beside the concurrency limits.
 */
public final class JdbcRunHistoryProvider implements RunHistoryProvider {

    /** Makes the provider; {@link java.util.ServiceLoader} calls this. */
    public JdbcRunHistoryProvider() {}

    /**
     * Opens the history that the settings name, creating its tables on first use, and applies its
     * retention.
     *
     * @param settings the settings
     * @return the history
     * @throws dev.weft.spi.StoreException naming the database, if it cannot be opened
     * @throws IllegalArgumentException naming a retention setting whose value is invalid
     */
    @Override
    public RunHistory open(Settings settings) {
        return JdbcRunHistory.open(settings);
    }
}
