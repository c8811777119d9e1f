package dev.weft.spi;

import dev.weft.ConcurrencyLimit;
import dev.weft.Settings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Where tag concurrency limits and their slots live. A slot is a lease: its holder renews it, and a slot
 * whose lease ran out is free again, so that a process that dies does not keep its slots.
 *
 * <p>Implementations are safe for use by many threads, and, for a shared store, by many processes: {@link
 * #acquire} is all or nothing and never lets more runs hold slots on a tag than its limit. Their methods
 * may block on IO; the engine calls them off the threads that run tasks, except {@link #release}, which
 * it calls as part of a run's final state change, so that a run seen final holds no slot.
 *
 * <p>Fairness. A store shared by processes keeps the runs that found a tag full in order: a run that
 * {@link #acquire} answered {@link Admission.Outcome#FULL} waits on that tag (and no other) until it gets
 * its slots or is {@link #release released}, and its wait is a lease like a slot's, renewed by {@link
 * #renew}. Processes take turns: a free slot goes to a process only when the tag's free slots outnumber
 * the waits of other processes that queued before that process's oldest wait. Within a process, the
 * engine's own queue decides which of its runs asks, and the run granted takes its process's place. So a
 * process that keeps submitting cannot keep a released slot from the runs that other processes queued
 * before, and a FULL answer may name fewer holders than the limit: a free slot kept for such a run.
 */
public interface SlotStore extends AutoCloseable {

    /**
     * Says where the limits live, for logs and errors, such as {@code SQLite file /home/ann/.weft/weft.db}.
     *
     * @return the description
     */
    String describe();

    /**
     * Takes one slot on every limited tag of a run, all or nothing. Tags without a limit need no slot.
     *
     * @param holder the process that will renew the slots, {@code host:pid:id} ({@link
     *     dev.weft.ConcurrencyLimit.Slot#held} reads it back)
     * @param runId the run that takes them
     * @param runName the run's name, for people reading the store
     * @param tags the run's tags, without repeats
     * @param lease how long the slots stay taken unless renewed
     * @return whether the run got its slots, and if not, on which tag
     * @throws StoreException if the store cannot be reached
     */
    Admission acquire(String holder, UUID runId, String runName, Collection<String> tags, Duration lease);

    /**
     * Gives back every slot a run holds, ends its wait if it waits, and tells waiting processes that slots
     * came free.
     *
     * @param runId the run
     * @throws StoreException if the store cannot be reached
     */
    void release(UUID runId);

    /**
     * Extends the leases of slots a holder still holds, and of the waits of its runs that wait.
     *
     * @param holder the process
     * @param runIds the runs whose slots it holds or that wait
     * @param lease the new lease, from now
     * @throws StoreException if the store cannot be reached
     */
    void renew(String holder, Collection<UUID> runIds, Duration lease);

    /**
     * Calls {@code listener} whenever another process may have freed slots or changed a limit, for stores
     * that can tell (PostgreSQL's {@code LISTEN/NOTIFY}, a SQLite file that changed). A call too many
     * costs a retry; a call too few leaves waiting runs to their next slot wait.
     *
     * @param listener what to call, on a thread of the store's
     */
    default void onSlotsFreed(Runnable listener) {}

    /**
     * Returns the tags that have a limit now. The engine keeps them, so that a run whose tags have no limit
     * never asks the store for slots, and reads them again when {@link #onSlotsFreed} says something
     * changed, or every slot wait for a store that cannot tell.
     *
     * @return the limited tags
     * @throws StoreException if the store cannot be reached
     */
    default Set<String> limitedTags() {
        return readAll().stream().map(ConcurrencyLimit::tag).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Returns how often a queued run asks again for slots that other processes hold, unless {@link
     * Settings#slotWait()} says: Prefect's 30 s by default, which suits a remote server; a local file can
     * be asked far more often.
     *
     * @return the slot wait
     */
    default Duration defaultSlotWait() {
        return Settings.DEFAULT_SLOT_WAIT;
    }

    /**
     * Whether the store's methods may block on IO, so that the engine calls them on threads of its own.
     *
     * @return true for a database, false for an in-memory store
     */
    default boolean blocking() {
        return true;
    }

    // ---- the client's side ---------------------------------------------------------------------------

    /**
     * Creates a limit on a tag, or sets the limit of an existing one, keeping its id and slots.
     *
     * @param tag the tag
     * @param limit 0 or more
     * @return the limit
     * @throws StoreException if the store cannot be reached
     */
    ConcurrencyLimit create(String tag, int limit);

    /**
     * Reads the limit on a tag, with its active slots.
     *
     * @param tag the tag
     * @return the limit, or empty when the tag has none
     * @throws StoreException if the store cannot be reached
     */
    Optional<ConcurrencyLimit> read(String tag);

    /**
     * Reads every limit, ordered by tag.
     *
     * @return the limits
     * @throws StoreException if the store cannot be reached
     */
    List<ConcurrencyLimit> readAll();

    /**
     * Deletes the limit on a tag, and its slots.
     *
     * @param tag the tag
     * @return whether there was one
     * @throws StoreException if the store cannot be reached
     */
    boolean delete(String tag);

    /**
     * Frees every slot on a tag, whoever holds it.
     *
     * @param tag the tag
     * @return whether the tag has a limit
     * @throws StoreException if the store cannot be reached
     */
    boolean reset(String tag);

    /** Closes the store's connections. */
    @Override
    void close();
}
