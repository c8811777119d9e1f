package dev.weft.internal;

import static dev.weft.StateType.AWAITING_RETRY;
import static dev.weft.StateType.CANCELLED;
import static dev.weft.StateType.COMPLETED;
import static dev.weft.StateType.CRASHED;
import static dev.weft.StateType.FAILED;
import static dev.weft.StateType.PENDING;
import static dev.weft.StateType.QUEUED;
import static dev.weft.StateType.RUNNING;
import static dev.weft.StateType.SCHEDULED;

import dev.weft.StateType;

/**
 * The state machine's transition table. A run moves {@code PENDING -> (QUEUED <->) RUNNING -> final},
 * with {@code AWAITING_RETRY} between tries and {@code SCHEDULED} for delayed starts. Only a running
 * run can complete; any live run can fail (an upstream did not complete), crash or be cancelled.
 */
final class Transitions {
    private static final int[] ALLOWED = new int[StateType.values().length];

    static {
        allow(SCHEDULED, PENDING, QUEUED, RUNNING, CANCELLED, CRASHED);
        allow(PENDING, SCHEDULED, QUEUED, RUNNING, FAILED, CRASHED, CANCELLED);
        allow(QUEUED, PENDING, RUNNING, FAILED, CRASHED, CANCELLED);
        allow(RUNNING, QUEUED, AWAITING_RETRY, COMPLETED, FAILED, CRASHED, CANCELLED);
        allow(AWAITING_RETRY, PENDING, QUEUED, RUNNING, FAILED, CRASHED, CANCELLED);
    }

    private Transitions() {}

    private static void allow(StateType from, StateType... targets) {
        for (StateType to : targets) {
            ALLOWED[from.ordinal()] |= 1 << to.ordinal();
        }
    }

    static boolean allowed(StateType from, StateType to) {
        return (ALLOWED[from.ordinal()] & (1 << to.ordinal())) != 0;
    }
}
