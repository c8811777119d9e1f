package dev.weft.store;

import dev.weft.Settings;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStoreProvider;

/**
 * Opens a {@link JdbcSlotStore}: registered for {@link java.util.ServiceLoader}, so that putting {@code
 * dev.weft:weft-store} on the class path makes every flow of the process keep its concurrency limits in the
 * database that {@link Settings} name.
 */
public final class JdbcSlotStoreProvider implements SlotStoreProvider {

    /** Makes the provider; {@link java.util.ServiceLoader} calls this. */
    public JdbcSlotStoreProvider() {}

    /**
     * Opens the store that the settings name, creating its tables on first use.
     *
     * @param settings the settings
     * @return the store
     * @throws dev.weft.spi.StoreException naming the database, if it cannot be opened
     */
    @Override
    public SlotStore open(Settings settings) {
        return JdbcSlotStore.open(settings);
    }
}
