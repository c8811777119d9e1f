package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.TaskFuture;

/**
 * Twin of the {@code get_state()} example of "Using results from submitted tasks": {@link
 * TaskFuture#state()} returns the run's current state at once, whether or not the run has finished. The
 * flow returns that state, so that its caller sees it.
 */
public final class GetState {
    private GetState() {}

    static final Task0<String> myTask = Task.of("my_task", () -> "I'm a task!");

    // snippet:get-state
    static final Flow<State<String>> myFlow = Flow.of("my-flow", () -> {
        TaskFuture<String> future = myTask.submit();
        State<String> state = future.state();
        return state;
    });
    // end-snippet:get-state

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
    }
}
