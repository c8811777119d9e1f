package dev.weft.examples;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;

/**
 * The README's first example: a task submitted with a value, a task submitted with the first one's
 * future, and a task called in place.
 */
public final class HelloWorld {
    private HelloWorld() {}

    // snippet:hello-world
    static final Task1<String, String> sayHello = Task.of("say_hello", (String name) -> "Hello " + name + "!");
    static final Task1<String, Void> printResult = Task.of("print_result", (String r) -> System.out.println(r));

    static final Flow<Void> helloWorld = Flow.of("hello-flow", () -> {
        TaskFuture<String> future = sayHello.submit("Marvin");
        printResult.submit(future); // print_result receives "Hello Marvin!", not the future
        String now = sayHello.call("Arthur"); // a plain call runs in place and returns the value
        System.out.println(now);
    });

    public static void main(String[] args) {
        helloWorld.call();
    }
    // end-snippet:hello-world
}
