package dev.weft.internal;

import dev.weft.InsufficientResourcesException;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.WeftException;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Turns events into the log lines the seed pages print, through SLF4J: flow-level lines on the logger
 * {@code dev.weft.flow_runs}, task-level ones on {@code dev.weft.task_runs}, so that a user's logging
 * configuration decides where they go. Names are only formatted when the line is enabled.
 *
 * <p>While more than one flow run (not counting subflow runs) is live in the process, the lines that do
 * not name their flow run begin with {@code Flow run 'name' - }, as Prefect's do, so that interleaved
 * runs can be told apart; with one flow run, lines read as the seed pages print them.
 *
 * <p>A run that failed or crashed is logged at ERROR with the exception's stack trace when user code threw
 * it, or something unexpected broke; when Weft itself ended the run with an error that says all there is to
 * say (an upstream run failed, a deadlock, a store that cannot be reached, a timeout, resources no worker
 * has), the line is the whole story.
 */
final class LogSink implements EventSink {
    private final Logger flows = Logs.get("dev.weft.flow_runs");
    private final Logger tasks = Logs.get("dev.weft.task_runs");

    @Override
    public boolean wants(Event.Kind kind, Object detail) {
        return switch (kind) {
            case FLOW_BEGIN, RUNNER_STARTING, RUNNER_STARTED, RUNNER_SHUTTING_DOWN -> flows.isInfoEnabled();
            case FLOW_END -> flows.isErrorEnabled();
            case TASK_SUBMITTED, TASK_IN_PLACE, TASK_SLOTS -> tasks.isInfoEnabled();
            case TASK_AWAY -> tasks.isWarnEnabled();
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
            case RUNNER_STARTING ->
                flows.info("{}Starting task runner `{}`...", prefix((FlowRun) event.subject()), event.detail());
            case RUNNER_STARTED -> flows.info("{}{}", prefix((FlowRun) event.subject()), event.detail());
            case RUNNER_SHUTTING_DOWN ->
                flows.info("{}Shutting down task runner `{}`...", prefix((FlowRun) event.subject()), event.detail());
            case FLOW_END -> {
                FlowRun run = (FlowRun) event.subject();
                State<?> state = (State<?>) event.detail();
                String what = run.isSubflow() ? "Subflow run" : "Flow run";
                if (state.isCompleted()) {
                    flows.info("{} '{}' finished in state {}", what, run.name(), state);
                } else if (state.isCancelled()) {
                    flows.warn("{} '{}' finished in state {}", what, run.name(), state);
                } else {
                    flows.error("{} '{}' finished in state {}", what, run.name(), state);
                }
            }
            case TASK_SUBMITTED -> {
                if (tasks.isInfoEnabled()) {
                    TaskRun<?> run = (TaskRun<?>) event.subject();
                    tasks.info("{}Submitting task run '{}' to task runner...", prefix(run.flow), run.name());
                }
            }
            case TASK_IN_PLACE -> {
                if (tasks.isInfoEnabled()) {
                    TaskRun<?> run = (TaskRun<?>) event.subject();
                    tasks.info("{}Executing '{}' immediately...", prefix(run.flow), run.name());
                }
            }
            case TASK_SLOTS -> {
                TaskRun<?> run = (TaskRun<?>) event.subject();
                tasks.info(
                        "{}Task run '{}' got its concurrency slots after {} queued",
                        prefix(run.flow),
                        run.name(),
                        RunMessages.describe((Duration) event.detail()));
            }
            case TASK_AWAY -> {
                TaskRun<?> run = (TaskRun<?>) event.subject();
                tasks.warn("{}Task run '{}' {}", prefix(run.flow), run.name(), event.detail());
            }
            case TASK_STATE -> taskState((TaskRun<?>) event.subject(), event.detail());
        }
    }

    /** Names the flow run a line belongs to while several run at once. */
    private static String prefix(FlowRun run) {
        return ProcessStop.liveFlowRuns() > 1 ? "Flow run '" + run.name() + "' - " : "";
    }

    private void taskState(TaskRun<?> run, Object detail) {
        if (detail instanceof StateType type) {
            if (tasks.isDebugEnabled()) {
                tasks.debug("{}Task run '{}' entered state {}", prefix(run.flow), run.name(), type.displayName());
            }
            return;
        }
        State<?> state = (State<?>) detail;
        String prefix = prefix(run.flow);
        switch (state.type()) {
            case QUEUED -> {
                if (tasks.isInfoEnabled()) {
                    tasks.info("{}Task run '{}' entered state {}", prefix, run.name(), state);
                }
            }
            case AWAITING_RETRY -> tasks.warn("{}Task run '{}' entered state {}", prefix, run.name(), state);
            case COMPLETED -> {
                if (tasks.isInfoEnabled()) {
                    tasks.info("{}Task run '{}' finished in state {}", prefix, run.name(), state);
                }
            }
            case CANCELLED -> tasks.warn("{}Task run '{}' finished in state {}", prefix, run.name(), state);
            default -> {
                if (explained(state)) {
                    tasks.error("{}Task run '{}' finished in state {}", prefix, run.name(), state);
                } else {
                    tasks.error("{}Task run '{}' finished in state {}", prefix, run.name(), state, state.exception());
                }
            }
        }
    }

    /**
     * Whether the state's message tells the whole story, so that a stack trace would only add the engine's
     * frames: Weft's own exceptions (an upstream failure, a deadlock, a store), a timeout, resources that no
     * worker has. The exceptions user code throws keep their trace.
     */
    private static boolean explained(State<?> state) {
        Throwable e = state.exception();
        return e == null
                || e instanceof WeftException
                || e instanceof InsufficientResourcesException
                || state.name().equals("TimedOut");
    }
}
