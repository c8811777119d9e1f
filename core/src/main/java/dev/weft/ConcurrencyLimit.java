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
 * @param slots the slots taken now, oldest first: which run holds each, in which process on which host
 * @param created when the limit was created
 * @param updated when its value last changed
 */
public record ConcurrencyLimit(UUID id, String tag, int limit, List<Slot> slots, Instant created, Instant updated) {

    /**
     * Validates the parts.
     *
     * @param id the id
     * @param tag the tag
     * @param limit the limit, 0 or more
     * @param slots the slots taken now
     * @param created when created
     * @param updated when last updated
     */
    public ConcurrencyLimit {
        Objects.requireNonNull(id, "id");
        Tags.checkExisting(tag);
        if (limit < 0) {
            throw new IllegalArgumentException("A concurrency limit must be 0 or more, not " + limit);
        }
        slots = List.copyOf(slots);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
    }

    /**
     * Returns the ids of the task runs that hold a slot now, oldest first: Prefect's {@code active_slots}.
     *
     * @return the run ids
     */
    public List<UUID> activeSlots() {
        return slots.stream().map(Slot::runId).toList();
    }

    /**
     * A slot taken on a limited tag.
     *
     * @param runId the task run that holds it
     * @param runName the run's name, such as {@code query-24bdb5eb-2}
     * @param host the host of the process that holds it
     * @param pid that process's id
     * @param acquired when the run took it
     */
    public record Slot(UUID runId, String runName, String host, long pid, Instant acquired) {
        /**
         * Validates the parts.
         *
         * @param runId the run's id
         * @param runName the run's name
         * @param host the host
         * @param pid the process id
         * @param acquired when it was taken
         */
        public Slot {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(runName, "runName");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(acquired, "acquired");
        }

        /**
         * Makes a slot from what a store keeps: the holder as {@link dev.weft.spi.SlotStore#acquire} was
         * given it ({@code host:pid:id}).
         *
         * @param runId the run's id
         * @param runName the run's name
         * @param holder the holder, {@code host:pid:id}
         * @param acquired when it was taken
         * @return the slot; a holder of another shape gives its whole text as the host and pid 0
         */
        public static Slot held(UUID runId, String runName, String holder, Instant acquired) {
            int last = holder.lastIndexOf(':');
            int pidAt = last <= 0 ? -1 : holder.lastIndexOf(':', last - 1);
            if (pidAt > 0) {
                try {
                    long pid = Long.parseLong(holder.substring(pidAt + 1, last));
                    return new Slot(runId, runName, holder.substring(0, pidAt), pid, acquired);
                } catch (NumberFormatException e) {
                    // not Weft's shape: keep the whole text
                }
            }
            return new Slot(runId, runName, holder, 0, acquired);
        }
    }
}
