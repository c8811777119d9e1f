package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;

/**
 * Twin of the {@code raise_on_failure=False} example of "Using results from submitted tasks": {@link
 * TaskFuture#resultOrException()} returns the task's exception instead of throwing it, and the future's
 * state tells which of the two it is. The seed calls the task where it means to submit it; the twin
 * submits.
 */
public final class RaiseOnFailure {
    private RaiseOnFailure() {}

    // snippet:raise-on-failure
    static final Task1<String, String> myTask = Task.of("my_task", (String name) -> "I'm a task!");

    static final Flow<Void> myFlow = Flow.of("my-flow", () -> {
        TaskFuture<String> future = myTask.submit("Marvin");
        Object result = future.resultOrException();
        if (future.state().isFailed()) {
            // `result` is the exception the task threw: handle it here
            System.out.println("my_task failed: " + result);
        } else {
            // `result` is the value the task returned
            System.out.println("my_task returned: " + result);
        }
    });
    // end-snippet:raise-on-failure

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
    }
}
