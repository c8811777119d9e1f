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

    /** Records the final state, once: false if the run had ended (the process stopped it without its thread). */
    @SuppressWarnings("unchecked")
    boolean end(State<?> finalState) {
        return finish((State<Object>) finalState);
    }
}
