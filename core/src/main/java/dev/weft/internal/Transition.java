package dev.weft.internal;

import static dev.weft.StateType.AWAITING_RETRY;
import static dev.weft.StateType.CANCELLED;
import static dev.weft.StateType.COMPLETED;
import static dev.weft.StateType.CRASHED;
import static dev.weft.StateType.FAILED;
import static dev.weft.StateType.PENDING;
import static dev.weft.StateType.QUEUED;
import static dev.weft.StateType.RUNNING;

import dev.weft.StateType;

/**
 * The state machine of task runs and flow runs, in one table: each transition by name, the states it
 * leaves from, the state it enters, and what the engine does with it. A move the table does not allow
 * throws {@link IllegalTransitionException} with the run's states so far.
 *
 * <pre>
 *   PENDING --QUEUE--> QUEUED --START--> RUNNING --COMPLETE--> COMPLETED
 *      |                  ^                 |  \--FAIL------> FAILED
 *      +------START-------|---------------->|  \--RETRY-----> AWAITING_RETRY --START/QUEUE--> ...
 *      ^                                    |
 *      +---------------LOSE-----------------+      (any live state) --CRASH/CANCEL/FAIL--> final
 * </pre>
 *
 * <p>A run waiting for a worker with free resources is {@code PENDING} (the runner holds it); one waiting
 * for a concurrency slot on a tag is {@code QUEUED}. There is no state for "scheduled for later": a retry's
 * wait is {@code AWAITING_RETRY}.
 */
enum Transition {
    /** No slot is free on one of its tags: it waits, holding no thread, until one is handed to it. */
    QUEUE(QUEUED, PENDING, AWAITING_RETRY),
    /** A flow run's body begins. */
    BEGIN(RUNNING, PENDING),
    /** Its inputs are ready, its slots held and a worker placed it: its code starts. */
    START(RUNNING, PENDING, QUEUED, AWAITING_RETRY),
    /** A try failed and the retry policy allows another: it waits for the delay, without its slots. */
    RETRY(AWAITING_RETRY, RUNNING),
    /** Its worker vanished: it goes back to waiting and is placed again (up to a limit, then CRASH). */
    LOSE(PENDING, RUNNING),
    /** Its code returned a value. */
    COMPLETE(COMPLETED, RUNNING),
    /** Its code threw, it timed out, or an upstream run did not complete. */
    FAIL(FAILED, PENDING, QUEUED, RUNNING, AWAITING_RETRY),
    /** Something outside its code broke: the runner refused or lost it too often, the JVM, the store. */
    CRASH(CRASHED, PENDING, QUEUED, RUNNING, AWAITING_RETRY),
    /** The user, its flow run, a timeout of its flow run or the process stopped it. */
    CANCEL(CANCELLED, PENDING, QUEUED, RUNNING, AWAITING_RETRY);

    private static final Transition[] BY_TARGET = new Transition[StateType.values().length];

    static {
        for (Transition t : values()) {
            if (t.to.isFinal()) {
                BY_TARGET[t.to.ordinal()] = t;
            }
        }
    }

    final StateType to;
    private final int from;

    Transition(StateType to, StateType... from) {
        this.to = to;
        int mask = 0;
        for (StateType f : from) {
            mask |= 1 << f.ordinal();
        }
        this.from = mask;
    }

    /** Returns whether the transition leaves from {@code state}. */
    boolean leavesFrom(StateType state) {
        return (from & (1 << state.ordinal())) != 0;
    }

    /** Returns the states the transition leaves from, for messages: {@code Pending, Queued}. */
    String sources() {
        StringBuilder b = new StringBuilder();
        for (StateType s : StateType.values()) {
            if (leavesFrom(s)) {
                b.append(b.isEmpty() ? "" : ", ").append(s.displayName());
            }
        }
        return b.toString();
    }

    /** Returns the transition that ends a run in a final state of this type. */
    static Transition ending(StateType finalType) {
        return BY_TARGET[finalType.ordinal()];
    }
}
