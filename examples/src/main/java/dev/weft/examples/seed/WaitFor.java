package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.TaskFuture;

/**
 * Twin of the {@code wait_for=[...]} example of "Using results from submitted tasks": {@code
 * waitFor(...)} orders runs that share no data. {@code task_c} starts only after {@code task_a} and
 * {@code task_b} have completed, and {@code task_d}, called in place, only after {@code task_c}.
 */
public final class WaitFor {
    private WaitFor() {}

    // snippet:wait-for
    static final Task0<Void> taskA = Task.of("task_a", () -> {});
    static final Task0<Void> taskB = Task.of("task_b", () -> {});
    static final Task0<Void> taskC = Task.of("task_c", () -> {});
    static final Task0<Void> taskD = Task.of("task_d", () -> {});

    static final Flow<Void> myFlow = Flow.of("my-flow", () -> {
        TaskFuture<Void> a = taskA.submit();
        TaskFuture<Void> b = taskB.submit();
        // Wait for task_a and task_b to complete
        TaskFuture<Void> c = taskC.waitFor(a, b).submit();
        // task_d will wait for task_c to complete
        taskD.waitFor(c).call();
    });
    // end-snippet:wait-for

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
    }
}
