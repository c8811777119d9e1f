package dev.weft.internal;

import dev.weft.State;
import dev.weft.StateType;
import dev.weft.TaskFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A future of the values of many futures, in order: {@link TaskFuture#gather}. It is not a task run (it
 * runs no code, logs nothing and is not counted in a flow's state); it completes on the thread that
 * completes its last input, and fails on the thread of the first input that does not complete.
 *
 * @param <T> the type of the gathered values
 */
public final class Gather<T> extends Node<List<T>> implements Dependent {
    private static final VarHandle UNRESOLVED;

    static {
        try {
            UNRESOLVED = MethodHandles.lookup().findVarHandle(Gather.class, "unresolved", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int count;
    private Node<?>[] inputs;

    @SuppressWarnings("unused") // accessed through UNRESOLVED
    private volatile int unresolved;

    private Gather(Node<?>[] inputs) {
        super(StateType.RUNNING);
        this.inputs = inputs;
        this.count = inputs.length;
    }

    /**
     * Gathers futures.
     *
     * @param futures Weft futures
     * @param <T> the value type
     * @return a future of their values
     */
    public static <T> TaskFuture<List<T>> of(Collection<? extends TaskFuture<? extends T>> futures) {
        Node<?>[] inputs = new Node<?>[futures.size()];
        int i = 0;
        for (TaskFuture<? extends T> future : futures) {
            inputs[i++] = Inputs.node(future);
        }
        Gather<T> gather = new Gather<>(inputs);
        gather.start();
        return gather;
    }

    /**
     * Gathers an array of futures; the array is only read.
     *
     * @param futures Weft futures
     * @param <T> the value type
     * @return a future of their values
     */
    public static <T> TaskFuture<List<T>> ofArray(TaskFuture<?>[] futures) {
        Node<?>[] inputs = new Node<?>[futures.length];
        for (int i = 0; i < futures.length; i++) {
            inputs[i] = Inputs.node(futures[i]);
        }
        Gather<T> gather = new Gather<>(inputs);
        gather.start();
        return gather;
    }

    private void start() {
        UNRESOLVED.setVolatile(this, inputs.length + 1);
        for (Node<?> input : inputs) {
            if (input.isDone() || !input.addDependent(this)) {
                Node<?> ended = upstreamFinished(input);
                if (ended != null) {
                    propagate(ended);
                    return;
                }
            }
        }
        if ((int) UNRESOLVED.getAndAdd(this, -1) == 1 && settleCompleted(values())) {
            propagate(this);
        }
    }

    @Override
    public Node<?> upstreamFinished(Node<?> upstream) {
        if (isDone()) {
            return null;
        }
        if (!upstream.endedCompleted()) {
            return settle(upstreamEnded("Gathered", upstream)) ? this : null;
        }
        if ((int) UNRESOLVED.getAndAdd(this, -1) == 1) {
            return settleCompleted(values()) ? this : null;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private List<T> values() {
        Object[] values = new Object[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            values[i] = inputs[i].resultNow();
        }
        inputs = null; // the values are copied; let the runs go
        return Collections.unmodifiableList((List<T>) Arrays.asList(values));
    }

    @Override
    public String name() {
        return "gather-" + count;
    }

    @Override
    protected String label() {
        return "Gathered future of " + count + " runs";
    }

    @Override
    protected State<List<T>> liveState(StateType type) {
        int left = Math.max(0, (int) UNRESOLVED.getVolatile(this) - 1);
        return State.of(type, "Waiting for " + left + " of " + count + " runs");
    }
}
