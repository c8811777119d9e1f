package dev.weft;

import dev.weft.internal.Limiter;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads and changes tag concurrency limits: Prefect's {@code OrionClient} calls, on the store this process's
 * flows use (see {@link SlotStores}).
 *
 * {@snippet :
 * try (WeftClient client = WeftClient.open()) {
 *     // set a concurrency limit of 10 on the 'small_instance' tag
 *     UUID limitId = client.createConcurrencyLimit("small_instance", 10);
 * }
 * }
 */
public final class WeftClient implements AutoCloseable {
    private final SlotStore store;
    private final boolean owned;

    private WeftClient(SlotStore store, boolean owned) {
        this.store = store;
        this.owned = owned;
    }

    /**
     * Opens a client on the store this process's flows use.
     *
     * @return the client
     * @throws dev.weft.spi.StoreException if the store cannot be opened
     */
    public static WeftClient open() {
        return new WeftClient(SlotStores.current(), false);
    }

    /**
     * Opens a client on the store that the given settings name, with connections of its own that {@link
     * #close()} closes: for tools that manage limits in a store other than this process's.
     *
     * @param settings the settings
     * @return the client
     * @throws dev.weft.spi.StoreException if the store cannot be opened
     */
    public static WeftClient open(Settings settings) {
        return new WeftClient(Limiter.open(Objects.requireNonNull(settings, "settings")), true);
    }

    /**
     * Opens a client on a given store, which stays open when the client closes.
     *
     * @param store the store
     * @return the client
     */
    public static WeftClient of(SlotStore store) {
        return new WeftClient(Objects.requireNonNull(store, "store"), false);
    }

    /**
     * Says where the limits live.
     *
     * @return such as {@code SQLite file /home/ann/.weft/weft.db}
     */
    public String describe() {
        return store.describe();
    }

    /**
     * Sets a concurrency limit on a tag: at most {@code concurrencyLimit} task runs carrying the tag run at
     * once. Setting it again changes it and keeps its id.
     *
     * @param tag the tag, such as {@code small_instance}
     * @param concurrencyLimit 0 or more; 0 aborts every run with the tag
     * @return the limit's id
     * @throws IllegalArgumentException for an invalid tag or a negative limit
     */
    public UUID createConcurrencyLimit(String tag, int concurrencyLimit) {
        Tags.check(tag);
        if (concurrencyLimit < 0) {
            throw new IllegalArgumentException("A concurrency limit must be 0 or more, not " + concurrencyLimit);
        }
        UUID id = store.create(tag, concurrencyLimit).id();
        Limiter.limitsChanged(store);
        return id;
    }

    /**
     * Reads the limit on a tag, with the ids of the runs holding its slots ({@code activeSlots}).
     *
     * @param tag the tag
     * @return the limit, or empty if the tag has none
     */
    public Optional<ConcurrencyLimit> readConcurrencyLimitByTag(String tag) {
        return store.read(Tags.checkExisting(tag));
    }

    /**
     * Reads every limit, ordered by tag.
     *
     * @return the limits
     */
    public List<ConcurrencyLimit> readConcurrencyLimits() {
        return store.readAll();
    }

    /**
     * Removes the limit on a tag: its runs run freely from now on, and those queued on it start.
     *
     * @param tag the tag
     * @return whether the tag had a limit
     */
    public boolean deleteConcurrencyLimitByTag(String tag) {
        boolean deleted = store.delete(Tags.checkExisting(tag));
        Limiter.limitsChanged(store);
        return deleted;
    }

    /**
     * Frees every slot on a tag, whoever holds it: for slots taken by runs that will never give them back.
     *
     * @param tag the tag
     * @return whether the tag has a limit
     */
    public boolean resetConcurrencyLimitByTag(String tag) {
        boolean found = store.reset(Tags.checkExisting(tag));
        Limiter.limitsChanged(store);
        return found;
    }

    /** Closes the client, and the store's connections if {@link #open(Settings)} opened them. */
    @Override
    public void close() {
        if (owned) {
            store.close();
        }
    }
}
