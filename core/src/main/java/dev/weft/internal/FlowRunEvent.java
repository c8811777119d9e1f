package dev.weft.internal;

import dev.weft.State;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A flow run or subflow run as JDK Flight Recorder sees it: one event per run, from when the run was made
 * to its final state, committed by the thread that ended it (its own, or the one that stopped the process).
 *
 * <p>As with {@link TaskRunEvent}, the engine reaches it through {@link FlightEvents}, and nothing is made
 * unless a recording has the event enabled: a flow run that begins without one holds null, and one that was
 * running already when the event was enabled is recorded at its end with no duration.
 */
@Name(FlowRunEvent.NAME)
@Label("Weft Flow Run")
@Category("Weft")
@Description("A flow run or subflow run, from when it began to its final state")
@StackTrace(false) // the engine's frames at the run's end say nothing about the run
final class FlowRunEvent extends Event {
    /** The event's name in recordings. */
    static final String NAME = "dev.weft.FlowRun";

    private static final FlowRunEvent PROBE = new FlowRunEvent();

    @Label("Flow")
    @Description("The flow's name")
    String flow;

    @Label("Flow Run")
    @Description("The flow run's name, such as olivine-swan")
    String flowRun;

    @Label("Parent Flow Run")
    @Description("For a subflow run, the name of the flow run that called it; else empty")
    String parentFlowRun;

    @Label("State")
    @Description("Its final state's type: COMPLETED, FAILED, CRASHED or CANCELLED")
    String state;

    @Label("Message")
    @Description("Its final state's message")
    String message;

    @Label("Task Runner")
    @Description("The name of its task runner")
    String runner;

    /**
     * A flow run begins: returns its event, begun, or null if no recording has the event enabled.
     *
     * @return the event, or null
     */
    static FlowRunEvent begun() {
        if (!PROBE.isEnabled()) {
            return null;
        }
        FlowRunEvent event = new FlowRunEvent();
        event.begin();
        return event;
    }

    /**
     * A flow run reached its final state: its event ends and is committed.
     *
     * @param run the run
     * @param event what {@link #begun()} returned for it
     * @param finalState its final state
     */
    static void ended(FlowRun run, FlowRunEvent event, State<?> finalState) {
        if (!PROBE.isEnabled()) {
            return;
        }
        if (event == null) {
            event = new FlowRunEvent(); // not begun: committed at this instant, with no duration
        } else {
            event.end();
        }
        if (event.shouldCommit()) {
            FlowRun parent = run.parentRun();
            event.flow = run.flowName();
            event.flowRun = run.name();
            event.parentFlowRun = parent == null ? "" : parent.name();
            event.state = finalState.type().name();
            event.message = finalState.message();
            event.runner = run.runnerName();
            event.commit();
        }
    }
}
