package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task0;

/**
 * Twin of the first example of the "Task runners" page: {@code submit()} hands a task to the flow's task
 * runner instead of running it in place.
 */
public final class RunWithTaskRunner {
    private RunWithTaskRunner() {}

    // snippet:submit
    static final Task0<Void> task = Task.of("task", () -> System.out.println("I'm running in a task runner!"));

    static final Flow<Void> runWithTaskRunner = Flow.of("run-with-task-runner", () -> {
        task.submit();
    });
    // end-snippet:submit

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        runWithTaskRunner.call();
    }
}
