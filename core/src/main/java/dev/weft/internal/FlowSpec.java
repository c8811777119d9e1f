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
 * @param <R> the flow's value type
 */
public record FlowSpec<R>(
        String name, Body<R> body, Supplier<? extends TaskRunner> runners, Scheduler scheduler, Duration timeout) {

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
