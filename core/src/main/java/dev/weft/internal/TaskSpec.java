package dev.weft.internal;

import dev.weft.runner.TaskFunction;
import java.util.Objects;

/**
 * What the engine knows of a task: its name, key and body. Shared by every call of the task.
 *
 * @param name the task's name, such as {@code say_hello}
 * @param key 8 hex digits naming the task in its runs' names
 * @param body calls the user's function with the resolved arguments
 * @param async whether the body returns a {@code CompletionStage} whose value is the task's value
 */
public record TaskSpec(String name, String key, TaskFunction body, boolean async) {

    /**
     * Validates the parts.
     *
     * @param name the task's name
     * @param key its key
     * @param body its body
     * @param async whether the body is asynchronous
     */
    public TaskSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(body, "body");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A task's name must not be blank");
        }
    }

    /**
     * Returns the spec of a task with a key derived from its name.
     *
     * @param name the task's name
     * @param body its body
     * @param async whether the body is asynchronous
     * @return the spec
     */
    public static TaskSpec of(String name, TaskFunction body, boolean async) {
        return new TaskSpec(name, Names.taskKey(Objects.requireNonNull(name, "name")), body, async);
    }

    /**
     * Whether the body takes one argument ({@link TaskFunction.Single}): a run of it holds that argument
     * itself, not an array of one.
     *
     * @return true for a body of one argument
     */
    public boolean single() {
        return body instanceof TaskFunction.Single;
    }

    /**
     * Calls the body with a run's arguments as the run holds them (see {@link #single()}), resolved.
     *
     * @param arguments the one argument of a {@link #single()} body, else the array of them
     * @return the value
     * @throws Exception whatever the body throws
     */
    Object invoke(Object arguments) throws Exception {
        return body instanceof TaskFunction.Single one
                ? one.invokeSingle(arguments)
                : body.invoke((Object[]) arguments);
    }

    /**
     * Returns a run's arguments as the run holds them, as an array.
     *
     * @param arguments the one argument of a {@link #single()} body, else the array of them
     * @return an array the caller may keep
     */
    Object[] asArray(Object arguments) {
        return single() ? new Object[] {arguments} : ((Object[]) arguments).clone();
    }
}
