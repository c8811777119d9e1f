package dev.weft.store;

import dev.weft.StateType;

/**
 * The numbers that stand for states in the run history's tables, fixed forever: a new state takes a new
 * number, and Weft's own order of states may change without touching stored rows. A number is 2 bytes
 * where a state's name takes up to 14, in every task run's row and index entry.
 */
final class StateCodes {
    /** The states, each at its number. */
    private static final StateType[] STATES = {
        StateType.PENDING,
        StateType.QUEUED,
        StateType.RUNNING,
        StateType.AWAITING_RETRY,
        StateType.COMPLETED,
        StateType.FAILED,
        StateType.CRASHED,
        StateType.CANCELLED
    };

    /** A state's number in the tables. */
    static int code(StateType type) {
        return switch (type) {
            case PENDING -> 0;
            case QUEUED -> 1;
            case RUNNING -> 2;
            case AWAITING_RETRY -> 3;
            case COMPLETED -> 4;
            case FAILED -> 5;
            case CRASHED -> 6;
            case CANCELLED -> 7;
        };
    }

    /** The state of a number in the tables; one this Weft does not know (a newer one wrote it) reads as CRASHED. */
    static StateType state(int code) {
        return code >= 0 && code < STATES.length ? STATES[code] : StateType.CRASHED;
    }

    private StateCodes() {}
}
