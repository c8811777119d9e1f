package dev.weft.spi;

import dev.weft.Settings;

/**
 * Opens a {@link SlotStore} from the settings; registered for {@link java.util.ServiceLoader}. The first
 * provider found is used.
 */
public interface SlotStoreProvider {

    /**
     * Opens the store the settings name, creating its schema on first use.
     *
     * @param settings the settings
     * @return the store
     * @throws StoreException if it cannot be opened; the message names the database
     */
    SlotStore open(Settings settings);
}
