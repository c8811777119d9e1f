package dev.weft.internal;

import java.util.List;
import java.util.UUID;

/**
 * What the limiter sees of a run that needs slots on its tags: its identity, its tags, and the answers it
 * is given. Only {@link RunSlots} implements it.
 */
interface SlotClaim {

    /** Returns the run's id, which holds its slots in the store. */
    UUID id();

    /** Returns the run's name, for messages. */
    String name();

    /** Returns the run's label, with a capital: {@code Task run 'x-1a2b3c4d-0'}. */
    String label();

    /** Returns the run's tags, without repeats. */
    List<String> tags();

    /** Returns whether the run has ended, so that it needs no slots any more. */
    boolean isDone();

    /** The limiter that hands out the run's slots. */
    void limitedBy(Limiter limiter);

    /** Under the limiter's lock: marks the run as being asked for; false if it already is. */
    boolean startAttempt();

    /** Under the limiter's lock: the ask is over. */
    void endAttempt();

    /** The run may go: holding a slot on each limited tag, or holding none since none of its tags has a limit. */
    void admitted(boolean holding);

    /** The store keeps the run waiting on a full tag, until told otherwise. */
    void waitsInStore();

    /** Returns whether the store kept the run waiting, and forgets it: its wait is to be ended once. */
    boolean stopWaitingInStore();

    /** A tag is full: the run is QUEUED on it. */
    void queued(String tag, int limit);

    /** Returns the tag whose queue the run sits in, or null; under the limiter's lock. */
    String queuedOn();

    /** Sets the tag whose queue the run sits in; under the limiter's lock. */
    void queuedOn(String tag);

    /** A tag's limit is 0: the run can never go. */
    void aborted(String tag);

    /** Waiting would deadlock, as the message says. */
    void deadlocked(String message);

    /** The store failed: the run crashes with its one-line message. */
    void slotsUnavailable(RuntimeException e);

    /** Returns whether a run waits on this one to end while holding what it holds (its caller). */
    boolean nested();

    /** Returns whether {@code holder}'s run waits, through calls in place or subflows, for this one. */
    boolean isCalledBy(SlotClaim holder);

    /** Says what {@code holder}'s run waits on that leads to this run. */
    String waitedOnBy(SlotClaim holder);
}
