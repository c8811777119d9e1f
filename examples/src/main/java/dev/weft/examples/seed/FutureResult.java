package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.TaskFuture;

/**
 * Twin of the {@code result()} example of "Using results from submitted tasks": {@link
 * TaskFuture#result()} waits for the run and returns the task's value. The flow returns it, so that its
 * caller sees it.
 */
public final class FutureResult {
    private FutureResult() {}

    static final Task0<String> myTask = Task.of("my_task", () -> "I'm a task!");

    // snippet:result
    static final Flow<String> myFlow = Flow.of("my-flow", () -> {
        TaskFuture<String> future = myTask.submit();
        String result = future.result();
        return result;
    });
    // end-snippet:result

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
    }
}
