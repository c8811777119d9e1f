package dev.weft.runner;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A runner's lifecycle, new -> started -> shut down, with the messages that make misuse fail fast. */
public final class Lifecycle {
    private static final VarHandle STATE;
    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int SHUT_DOWN = 2;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Lifecycle.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String runner;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /**
     * Creates a lifecycle for a runner.
     *
     * @param runner the runner's name, for messages
     */
    public Lifecycle(String runner) {
        this.runner = runner;
    }

    /**
     * Moves from new to started.
     *
     * @throws IllegalStateException if started before
     */
    public void start() {
        if (!STATE.compareAndSet(this, NEW, STARTED)) {
            throw new IllegalStateException(runner + " was already started; a runner starts once, and each flow"
                    + " run starts a copy of the runner its flow was given");
        }
    }

    /**
     * Fails fast unless started and not shut down.
     *
     * @throws IllegalStateException naming what is wrong
     */
    public void requireStarted() {
        int s = (int) STATE.getVolatile(this);
        if (s == STARTED) {
            return;
        }
        throw new IllegalStateException(
                s == NEW
                        ? runner + " has not been started: a flow run starts its task runner, so submit tasks"
                                + " from inside a flow (or call start() first when driving a runner yourself)"
                        : runner + " has been shut down and accepts no more task runs");
    }

    /**
     * Moves to shut down.
     *
     * @return whether it was started
     */
    public boolean shutDown() {
        return (int) STATE.getAndSet(this, SHUT_DOWN) == STARTED;
    }

    /**
     * Returns whether the runner has been shut down.
     *
     * @return whether it has
     */
    public boolean isShutDown() {
        return (int) STATE.getVolatile(this) == SHUT_DOWN;
    }
}
