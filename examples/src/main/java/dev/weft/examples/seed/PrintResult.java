package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;

/**
 * Twin of the future-passing example of "Using results from submitted tasks": a future passed to a task
 * reaches it as the upstream run's value. {@code print_result} takes any {@code Object}, and what it gets
 * is the {@code String} that {@code say_hello} returned, not the future.
 */
public final class PrintResult {
    private PrintResult() {}

    // snippet:print-result
    static final Task1<String, String> sayHello = Task.of("say_hello", (String name) -> "Hello " + name + "!");

    static final Task1<Object, Void> printResult = Task.of("print_result", (Object result) -> {
        System.out.println(result.getClass());
        System.out.println(result);
    });

    static final Flow<Void> helloWorld = Flow.of("hello-flow", () -> {
        TaskFuture<String> future = sayHello.submit("Marvin");
        printResult.submit(future);
    });
    // end-snippet:print-result

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        helloWorld.call();
    }
}
