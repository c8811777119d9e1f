package dev.weft.internal;

import dev.weft.TaskRunner;
import dev.weft.spi.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the engine knows of a flow.
 *
 * @param name the flow's name
 * @param body the flow's code
 * @param runners makes a new, unstarted runner for each flow run
 * @param scheduler the clock and timer of its runs, or null for the calling flow run's, else the system's
 * @param timeout how long a run may take before it fails and cancels what it submitted, or null
 * @param dashboard the port of the dashboard its runs serve, 0 for any, or {@link #NO_DASHBOARD}
 * @param <R> the flow's value type
 */
public record FlowSpec<R>(
        String name,
        Body<R> body,
        Supplier<? extends TaskRunner> runners,
        Scheduler scheduler,
        Duration timeout,
        int dashboard) {
    /** {@link #dashboard()} for a flow that serves no dashboard. */
    public static final int NO_DASHBOARD = -1;

    /** The port the dashboard takes unless told otherwise, Dask's. */
    public static final int DEFAULT_DASHBOARD_PORT = 8787;

    /**
     * A flow without a dashboard.
     *
     * @param name the flow's name
     * @param body its code
     * @param runners makes each run's task runner
     * @param scheduler its clock and timer, or null
     * @param timeout its time limit, or null
     */
    public FlowSpec(
            String name, Body<R> body, Supplier<? extends TaskRunner> runners, Scheduler scheduler, Duration timeout) {
        this(name, body, runners, scheduler, timeout, NO_DASHBOARD);
    }

    /** The flow's code. */
    @FunctionalInterface
    public interface Body<R> {

        /**
         * Runs the flow's code.
         *
         * @return its value
         * @throws Exception whatever it throws
         */
        R run() throws Exception;
    }

    /**
     * Validates the parts.
     *
     * @param name the flow's name
     * @param body its code
     * @param runners its runner factory
     * @param scheduler its scheduler, or null
     * @param timeout its timeout, or null
     */
    public FlowSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(runners, "runners");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A flow's name must not be blank");
        }
    }
}
