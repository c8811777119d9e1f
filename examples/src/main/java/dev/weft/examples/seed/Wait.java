package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.TaskFuture;

/**
 * Twin of the {@code wait()} example of "Using results from submitted tasks": {@link TaskFuture#await()}
 * blocks until the run has finished and returns its final state. Java's {@code Object.wait} is final, so
 * Weft's name for Prefect's {@code wait} is {@code await}. The flow returns the final state.
 */
public final class Wait {
    private Wait() {}

    static final Task0<String> myTask = Task.of("my_task", () -> "I'm a task!");

    // snippet:wait
    static final Flow<State<String>> myFlow = Flow.of("my-flow", () -> {
        TaskFuture<String> future = myTask.submit();
        State<String> finalState = future.await();
        return finalState;
    });
    // end-snippet:wait

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
    }
}
