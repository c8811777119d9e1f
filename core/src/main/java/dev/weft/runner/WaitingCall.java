package dev.weft.runner;

import dev.weft.TaskRunner;

/**
 * A call waiting to start, with its arrival number: the one ordering rule for waiting calls. A higher
 * priority goes first; equal priorities go in arrival order.
 *
 * @param call the call
 * @param priority its priority, read once
 * @param arrival its arrival number, increasing
 */
public record WaitingCall(TaskRunner.Call call, int priority, long arrival) implements Comparable<WaitingCall> {

    /**
     * Makes the entry of a call that arrives now.
     *
     * @param call the call
     * @param arrival its arrival number
     */
    public WaitingCall(TaskRunner.Call call, long arrival) {
        this(call, call.priority(), arrival);
    }

    /**
     * Returns whether this call goes before the other.
     *
     * @param other another waiting call
     * @return whether this one starts first
     */
    public boolean before(WaitingCall other) {
        return priority != other.priority ? priority > other.priority : arrival < other.arrival;
    }

    @Override
    public int compareTo(WaitingCall other) {
        return before(other) ? -1 : other.before(this) ? 1 : 0;
    }
}
