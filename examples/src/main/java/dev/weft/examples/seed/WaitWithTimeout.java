package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.TaskFuture;
import java.time.Duration;
import java.util.Optional;

/**
 * Twin of the timed {@code wait(1)} example of "Using results from submitted tasks": {@link
 * TaskFuture#await(Duration)} waits at most the given time and returns the final state, or an empty
 * {@link Optional} while the run is still going. The flow returns the task's value, or says that it is
 * still running.
 */
public final class WaitWithTimeout {
    private WaitWithTimeout() {}

    static final Task0<String> myTask = Task.of("my_task", () -> "I'm a task!");

    // snippet:wait-timeout
    static final Flow<String> myFlow = Flow.of("my-flow", () -> {
        TaskFuture<String> future = myTask.submit();
        Optional<State<String>> finalState = future.await(Duration.ofSeconds(1)); // Wait one second max
        if (finalState.isPresent()) {
            // Take action if the task is done
            String result = finalState.get().result();
            return result;
        } else {
            // Take action if the task is still running
            return "my_task is still running";
        }
    });
    // end-snippet:wait-timeout

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
    }
}
