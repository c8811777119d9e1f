package dev.weft.internal;

import dev.weft.State;
import dev.weft.StateType;

/** A bare node for tests of the completion machinery: starts RUNNING, ends when told. */
final class TestNode extends Node<Integer> {
    private final String label;

    TestNode(String label) {
        super(StateType.RUNNING);
        this.label = label;
    }

    @Override
    public String name() {
        return label;
    }

    @Override
    protected String label() {
        return "Test node '" + label + "'";
    }

    /** Completes as a task run does: its state is made only when someone asks for it. */
    boolean completeWith(int value) {
        return finishCompleted(value);
    }

    boolean failWith(String message) {
        return finish(State.<Integer>failed(message, new IllegalStateException(message))
                .forRun(label()));
    }

    boolean moveTo(Transition t) {
        return transition(t);
    }
}
