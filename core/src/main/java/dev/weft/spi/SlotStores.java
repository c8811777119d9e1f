package dev.weft.spi;

import dev.weft.internal.Limiter;

/**
 * The store this process's flows take slots from. By default the first {@link SlotStoreProvider} on the
 * class path opens it from {@link dev.weft.Settings#load()} on first use; without one, limits hold in
 * memory, inside this process.
 */
public final class SlotStores {
    private SlotStores() {}

    /**
     * Makes every flow of this process take slots from {@code store} from now on, for embedding Weft with
     * a store of one's own, and for tests. Runs that hold or wait for slots in the previous store keep it;
     * the previous store is not closed. {@code null} goes back to the default: the store the settings
     * name, opened on next use.
     *
     * @param store the store, or null for the default
     * @return the previous store, or null if none was open yet
     */
    public static SlotStore use(SlotStore store) {
        return Limiter.use(store);
    }

    /**
     * Returns a new store that keeps limits in the memory of this process: for tests, benchmarks, and
     * flows that need limits inside one JVM only.
     *
     * @return the store
     */
    public static SlotStore inMemory() {
        return Limiter.inMemory();
    }

    /**
     * Returns the store this process's flows take slots from, opening it if needed.
     *
     * @return the store
     * @throws StoreException if it cannot be opened
     */
    public static SlotStore current() {
        return Limiter.current();
    }
}
