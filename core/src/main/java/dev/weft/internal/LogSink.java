package dev.weft.internal;

import dev.weft.ConcurrencyDeadlockException;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.UpstreamFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns events into the log lines the seed pages print, through SLF4J: flow-level lines on the logger
 * {@code dev.weft.flow_runs}, task-level ones on {@code dev.weft.task_runs}, so that a user's logging
 * configuration decides where they go. Names are only formatted when the line is enabled.
 */
final class LogSink implements EventSink {
    private final Logger flows = LoggerFactory.getLogger("dev.weft.flow_runs");
    private final Logger tasks = LoggerFactory.getLogger("dev.weft.task_runs");

    @Override
    public boolean wants(Event.Kind kind, Object detail) {
        return switch (kind) {
            case FLOW_BEGIN, RUNNER_STARTING, RUNNER_STARTED, RUNNER_SHUTTING_DOWN -> flows.isInfoEnabled();
            case FLOW_END -> flows.isErrorEnabled();
            case TASK_SUBMITTED, TASK_IN_PLACE -> tasks.isInfoEnabled();
            case TASK_STATE -> {
                if (detail instanceof State<?> state) {
                    yield switch (state.type()) {
                        case COMPLETED, QUEUED -> tasks.isInfoEnabled();
                        case CANCELLED, AWAITING_RETRY -> tasks.isWarnEnabled();
                        default -> tasks.isErrorEnabled();
                    };
                }
                yield tasks.isDebugEnabled();
            }
        };
    }

    @Override
    public void accept(Event event) {
        switch (event.kind()) {
            case FLOW_BEGIN -> {
                FlowRun run = (FlowRun) event.subject();
                if (flows.isInfoEnabled()) {
                    flows.info(
                            "Beginning {} '{}' for flow '{}'...",
                            run.isSubflow() ? "subflow run" : "flow run",
                            run.name(),
                            run.flowName());
                }
            }
            case RUNNER_STARTING -> flows.info("Starting task runner `{}`...", event.detail());
            case RUNNER_STARTED -> flows.info("{}", event.detail());
            case RUNNER_SHUTTING_DOWN -> flows.info("Shutting down task runner `{}`...", event.detail());
            case FLOW_END -> {
                FlowRun run = (FlowRun) event.subject();
                State<?> state = (State<?>) event.detail();
                String what = run.isSubflow() ? "Subflow run" : "Flow run";
                if (state.isCompleted()) {
                    flows.info("{} '{}' finished in state {}", what, run.name(), state);
                } else {
                    flows.error("{} '{}' finished in state {}", what, run.name(), state);
                }
            }
            case TASK_SUBMITTED -> {
                if (tasks.isInfoEnabled()) {
                    tasks.info("Submitting task run '{}' to task runner...", ((TaskRun<?>) event.subject()).name());
                }
            }
            case TASK_IN_PLACE -> {
                if (tasks.isInfoEnabled()) {
                    tasks.info("Executing '{}' immediately...", ((TaskRun<?>) event.subject()).name());
                }
            }
            case TASK_STATE -> taskState((TaskRun<?>) event.subject(), event.detail());
        }
    }

    private void taskState(TaskRun<?> run, Object detail) {
        if (detail instanceof StateType type) {
            if (tasks.isDebugEnabled()) {
                tasks.debug("Task run '{}' entered state {}", run.name(), type.displayName());
            }
            return;
        }
        State<?> state = (State<?>) detail;
        switch (state.type()) {
            case QUEUED -> {
                if (tasks.isInfoEnabled()) {
                    tasks.info("Task run '{}' entered state {}", run.name(), state);
                }
            }
            case AWAITING_RETRY -> tasks.warn("Task run '{}' entered state {}", run.name(), state);
            case COMPLETED -> {
                if (tasks.isInfoEnabled()) {
                    tasks.info("Task run '{}' finished in state {}", run.name(), state);
                }
            }
            case CANCELLED -> tasks.warn("Task run '{}' finished in state {}", run.name(), state);
            default -> {
                // The root failure carries its stack trace; runs that never started only name it.
                if (state.exception() instanceof UpstreamFailedException
                        || state.exception() instanceof ConcurrencyDeadlockException) {
                    tasks.error("Task run '{}' finished in state {}", run.name(), state);
                } else {
                    tasks.error("Task run '{}' finished in state {}", run.name(), state, state.exception());
                }
            }
        }
    }
}
