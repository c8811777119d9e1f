package dev.weft.spi;

import dev.weft.Settings;

/**
 * Opens a {@link RunHistory} from the settings; registered for {@link java.util.ServiceLoader}. The first
 * provider found is used; without one, the history stays in this process's memory.
 */
public interface RunHistoryProvider {

    /**
     * Opens the history the settings name, creating its schema on first use.
     *
     * @param settings the settings
     * @return the history
     * @throws StoreException if it cannot be opened; the message names the database
     */
    RunHistory open(Settings settings);
}
