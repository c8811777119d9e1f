package dev.weft;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A limit on how many task runs carrying a tag may run at once, anywhere: in this process, in other
 * processes and on other hosts that share the same store. Prefect's {@code ConcurrencyLimit}.
 *
 * @param id the limit's id, as {@code create} returned it
 * @param tag the task tag it limits, such as {@code small_instance}
 * @param limit the most runs with the tag that may run at once; 0 aborts every run with the tag
 * @param activeSlots the ids of the task runs that hold a slot now, oldest first
 * @param created when the limit was created
 * @param updated when its value last changed
 */
public record ConcurrencyLimit(
        UUID id, String tag, int limit, List<UUID> activeSlots, Instant created, Instant updated) {

    /**
     * Validates the parts.
     *
     * @param id the id
     * @param tag the tag
     * @param limit the limit, 0 or more
     * @param activeSlots the holders' run ids
     * @param created when created
     * @param updated when last updated
     */
    public ConcurrencyLimit {
        Objects.requireNonNull(id, "id");
        Tags.check(tag);
        if (limit < 0) {
            throw new IllegalArgumentException("A concurrency limit must be 0 or more, not " + limit);
        }
        activeSlots = List.copyOf(activeSlots);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
    }
}
