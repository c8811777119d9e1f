package dev.weft.internal;

import dev.weft.State;
import dev.weft.StateType;

/**
 * A flow run's place in the state machine ({@link Transition}): the same table and history as a task
 * run's. {@code PENDING} until its body begins ({@link Transition#BEGIN}), then {@code RUNNING}, then the
 * final state recorded at its end.
 */
final class FlowState extends Node<Object> {
    private final FlowRun run;

    /** The run's flight-recorder event, begun with the run; null unless a recording enabled it. */
    private final FlowRunEvent event = FlightEvents.flowBegun();

    FlowState(FlowRun run) {
        super(StateType.PENDING);
        this.run = run;
    }

    @Override
    public String name() {
        return run.name();
    }

    @Override
    protected String label() {
        return run.label();
    }

    /** BEGIN: the body starts. */
    void begin() {
        transition(Transition.BEGIN);
    }

    /**
     * Records the end in the run's recorder before the final state is published (the node calls this
     * before anyone can see it final), so that whoever waits for the end, such as the process stopping,
     * finds its event recorded, and a flush then logs it.
     */
    @Override
    protected void transitioned(StateType to, State<Object> finalState) {
        if (finalState != null) {
            run.recorder().record(Event.Kind.FLOW_END, run, finalState);
            FlightEvents.flowEnded(run, event, finalState);
        }
    }

    /**
     * Ends the run in its final state, once, recording the end: false if the run had ended (the process
     * stopped it without its thread).
     */
    @SuppressWarnings("unchecked")
    boolean end(State<?> finalState) {
        return finish((State<Object>) finalState);
    }
}
