package dev.weft.spi;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What {@link SlotStore#acquire} answered.
 *
 * @param outcome whether the run got its slots
 * @param tag for {@link Outcome#FULL} and {@link Outcome#ZERO}, the first tag that stopped it
 * @param limit that tag's limit
 * @param holders for {@link Outcome#FULL}, the runs that hold that tag's slots
 */
public record Admission(Outcome outcome, String tag, int limit, List<UUID> holders) {
    /** The answer when the run got a slot on each of its limited tags. */
    public static final Admission GRANTED = new Admission(Outcome.GRANTED, null, 0, List.of());

    /** Whether a run got its slots. */
    public enum Outcome {
        /** It holds a slot on each of its limited tags now. */
        GRANTED,
        /** A tag has no free slot: the run took none and waits. */
        FULL,
        /** A tag's limit is 0: the run can never run. */
        ZERO
    }

    /**
     * Validates the parts.
     *
     * @param outcome the outcome
     * @param tag the tag, for FULL and ZERO
     * @param limit the tag's limit
     * @param holders the runs holding the tag's slots
     */
    public Admission {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome != Outcome.GRANTED) {
            Objects.requireNonNull(tag, "tag");
        }
        holders = List.copyOf(holders);
    }

    /**
     * The answer when a tag has no free slot.
     *
     * @param tag the tag
     * @param limit its limit
     * @param holders the runs that hold its slots
     * @return the admission
     */
    public static Admission full(String tag, int limit, List<UUID> holders) {
        return new Admission(Outcome.FULL, tag, limit, holders);
    }

    /**
     * The answer when a tag's limit is 0.
     *
     * @param tag the tag
     * @return the admission
     */
    public static Admission zero(String tag) {
        return new Admission(Outcome.ZERO, tag, 0, List.of());
    }
}
