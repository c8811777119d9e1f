package dev.weft.internal;

/**
 * Something that happened to a flow run or a task run, on its way from the hot path to the recorder's
 * sinks.
 *
 * @param kind what happened
 * @param subject the {@link FlowRun} or {@link TaskRun} it happened to
 * @param detail for {@link Kind#TASK_STATE}, the new {@code StateType}, or the final {@code State};
 *     for flow and runner events, the runner's name or the flow's final state; else null
 * @param nanos when it happened, by {@link System#nanoTime()}: a sink may see it later
 */
public record Event(Kind kind, Object subject, Object detail, long nanos) {
    /** The wall clock at {@link System#nanoTime()} zero, to turn {@link #nanos()} into an instant. */
    private static final long EPOCH_NANOS_AT_ZERO =
            java.time.temporal.ChronoUnit.NANOS.between(java.time.Instant.EPOCH, java.time.Instant.now())
                    - System.nanoTime();

    /**
     * Returns when it happened, on the wall clock.
     *
     * @return the instant
     */
    public java.time.Instant at() {
        return at(nanos);
    }

    /**
     * Returns the wall-clock instant of a {@link System#nanoTime()} reading of this JVM.
     *
     * @param nanos the reading
     * @return the instant
     */
    static java.time.Instant at(long nanos) {
        long epochNanos = EPOCH_NANOS_AT_ZERO + nanos;
        return java.time.Instant.ofEpochSecond(
                Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /** The kinds of events. */
    public enum Kind {
        /** A flow run or subflow run began. */
        FLOW_BEGIN,
        /** A flow run is starting its task runner. */
        RUNNER_STARTING,
        /** A flow run's task runner has started; the detail is the runner's description of itself. */
        RUNNER_STARTED,
        /** A flow run is shutting its task runner down. */
        RUNNER_SHUTTING_DOWN,
        /** A flow run ended; the detail is its final state. */
        FLOW_END,
        /** A task run was submitted to the flow's task runner. */
        TASK_SUBMITTED,
        /** A task was called in place; its run executes on the calling thread. */
        TASK_IN_PLACE,
        /** A task run changed state. */
        TASK_STATE,
        /**
         * A queued task run got its slots and goes on to its runner; the detail is the {@link
         * java.time.Duration} it was queued.
         */
        TASK_SLOTS,
        /**
         * Something happened to a task run away from the engine: it was lost with its worker and goes back
         * to its runner, or its runner failed to stop it. The detail says what, as a phrase that follows the
         * run's name ({@code was lost: ...}).
         */
        TASK_AWAY
    }
}
