package dev.weft;

import java.util.Objects;

/**
 * The state of a task run or flow run: a {@link StateType}, a name, an optional message and, once the
 * run has ended, its value or its exception. States are immutable.
 *
 * <p>A state prints the way Prefect prints one: {@code Completed(message=null, type=COMPLETED)}, {@code
 * Completed(message='All states completed.', type=COMPLETED)}.
 *
 * @param <T> the type of the run's value
 */
public final class State<T> {
    private static final State<?>[] PLAIN = new State<?>[StateType.values().length];

    static {
        for (StateType type : StateType.values()) {
            PLAIN[type.ordinal()] = new State<>(type, type.displayName(), null, null, null, null);
        }
    }

    private final StateType type;
    private final String name;
    private final String message;
    private final T data;
    private final Throwable exception;
    private final String run;

    private State(StateType type, String name, String message, T data, Throwable exception, String run) {
        this.type = type;
        this.name = name;
        this.message = message;
        this.data = data;
        this.exception = exception;
        this.run = run;
    }

    /**
     * Returns the state of the given type with its default name, no message and no value.
     *
     * @param type the type
     * @param <T> the value type
     * @return a shared instance
     */
    @SuppressWarnings("unchecked")
    public static <T> State<T> of(StateType type) {
        return (State<T>) PLAIN[type.ordinal()];
    }

    /**
     * Returns a state of the given type with its default name and a message.
     *
     * @param type the type
     * @param message the message, or null
     * @param <T> the value type
     * @return the state
     */
    public static <T> State<T> of(StateType type, String message) {
        return message == null ? of(type) : new State<>(type, type.displayName(), message, null, null, null);
    }

    /**
     * Returns a state with every part given.
     *
     * @param type the type
     * @param name the name, such as {@code AwaitingRetry}
     * @param message the message, or null
     * @param data the run's value, or null
     * @param exception the run's exception, or null
     * @param <T> the value type
     * @return the state
     */
    public static <T> State<T> of(StateType type, String name, String message, T data, Throwable exception) {
        return new State<>(
                Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(name, "name"),
                message,
                data,
                exception,
                null);
    }

    /**
     * Returns a {@code Completed} state holding a value.
     *
     * @param data the value
     * @param <T> the value type
     * @return the state
     */
    public static <T> State<T> completed(T data) {
        return new State<>(StateType.COMPLETED, StateType.COMPLETED.displayName(), null, data, null, null);
    }

    /**
     * Returns a {@code Failed} state: user code threw {@code exception}.
     *
     * @param message what failed
     * @param exception the exception, or null
     * @param <T> the value type
     * @return the state
     */
    public static <T> State<T> failed(String message, Throwable exception) {
        return new State<>(StateType.FAILED, StateType.FAILED.displayName(), message, null, exception, null);
    }

    /**
     * Returns a {@code Crashed} state: something outside user code broke.
     *
     * @param message what broke
     * @param exception the error, or null
     * @param <T> the value type
     * @return the state
     */
    public static <T> State<T> crashed(String message, Throwable exception) {
        return new State<>(StateType.CRASHED, StateType.CRASHED.displayName(), message, null, exception, null);
    }

    /**
     * Returns a {@code Cancelled} state.
     *
     * @param message why, or null
     * @param <T> the value type
     * @return the state
     */
    public static <T> State<T> cancelled(String message) {
        return of(StateType.CANCELLED, message);
    }

    /**
     * Returns this state labelled with the run it belongs to, so that {@link #result()} names the run in
     * the exception it throws. The engine labels every final state it hands out.
     *
     * @param run the run, such as {@code Task run 'say_hello-1a2b3c4d-0'}
     * @return a labelled copy
     */
    public State<T> forRun(String run) {
        return new State<>(type, name, message, data, exception, run);
    }

    /**
     * Returns a copy of this state with another message.
     *
     * @param newMessage the message, or null
     * @return the copy
     */
    public State<T> withMessage(String newMessage) {
        return new State<>(type, name, newMessage, data, exception, run);
    }

    /**
     * Returns this state's type.
     *
     * @return the type
     */
    public StateType type() {
        return type;
    }

    /**
     * Returns this state's name: the type's display name unless the state is a special case of its type.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns this state's message.
     *
     * @return the message, or null
     */
    public String message() {
        return message;
    }

    /**
     * Returns the exception behind a {@code FAILED}, {@code CRASHED} or {@code CANCELLED} state.
     *
     * @return the exception, or null when there is none
     */
    public Throwable exception() {
        return exception;
    }

    /**
     * Returns the run's value if this state is {@code COMPLETED}; otherwise throws. Never blocks.
     *
     * @return the value
     * @throws RunFailedException if the state is final but not completed; its cause is {@link #exception()}
     * @throws IllegalStateException if the run has not finished
     */
    public T result() {
        if (type == StateType.COMPLETED) {
            return data;
        }
        if (type.isFinal()) {
            throw new RunFailedException(run == null ? "The run" : run, this);
        }
        throw new IllegalStateException((run == null ? "The run" : run) + " has not finished: it is in state " + this);
    }

    /**
     * Returns the value for a completed state, or the exception otherwise, without throwing: Prefect's
     * {@code result(raise_on_failure=False)}.
     *
     * @return the value, or the exception (a {@link RunFailedException} when the state has none)
     * @throws IllegalStateException if the run has not finished
     */
    public Object resultOrException() {
        if (type == StateType.COMPLETED) {
            return data;
        }
        if (type.isFinal()) {
            return exception != null ? exception : new RunFailedException(run == null ? "The run" : run, this);
        }
        throw new IllegalStateException((run == null ? "The run" : run) + " has not finished: it is in state " + this);
    }

    /**
     * Returns whether this state is final.
     *
     * @return true for completed, failed, crashed and cancelled states
     */
    public boolean isFinal() {
        return type.isFinal();
    }

    /**
     * Returns whether the run completed.
     *
     * @return true for {@code COMPLETED}
     */
    public boolean isCompleted() {
        return type == StateType.COMPLETED;
    }

    /**
     * Returns whether the run failed.
     *
     * @return true for {@code FAILED}
     */
    public boolean isFailed() {
        return type == StateType.FAILED;
    }

    /**
     * Returns whether the run crashed.
     *
     * @return true for {@code CRASHED}
     */
    public boolean isCrashed() {
        return type == StateType.CRASHED;
    }

    /**
     * Returns whether the run was cancelled.
     *
     * @return true for {@code CANCELLED}
     */
    public boolean isCancelled() {
        return type == StateType.CANCELLED;
    }

    /**
     * Returns whether the run waits for its inputs or a worker.
     *
     * @return true for {@code PENDING}
     */
    public boolean isPending() {
        return type == StateType.PENDING;
    }

    /**
     * Returns whether the run waits for a concurrency slot.
     *
     * @return true for {@code QUEUED}
     */
    public boolean isQueued() {
        return type == StateType.QUEUED;
    }

    /**
     * Returns whether user code is executing.
     *
     * @return true for {@code RUNNING}
     */
    public boolean isRunning() {
        return type == StateType.RUNNING;
    }

    /**
     * Compares type, name, message, value and exception; the run label is not part of a state's value.
     *
     * @param o the other object
     * @return whether both are equal states
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof State<?> s
                && type == s.type
                && name.equals(s.name)
                && Objects.equals(message, s.message)
                && Objects.equals(data, s.data)
                && exception == s.exception;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, message, data);
    }

    /**
     * Prints the state as Prefect does: {@code Name(message='...', type=TYPE)}, with {@code null} for no
     * message.
     *
     * @return the printed state
     */
    @Override
    public String toString() {
        return name + "(message=" + quote(message) + ", type=" + type + ")";
    }

    /** Quotes like Python's {@code repr} of a string: single quotes unless the text holds one. */
    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        char q = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder(text.length() + 2).append(q);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c == q) {
                        b.append('\\');
                    }
                    b.append(c);
                }
            }
        }
        return b.append(q).toString();
    }
}
