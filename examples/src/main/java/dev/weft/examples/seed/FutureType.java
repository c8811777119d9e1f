package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;

/**
 * Twin of the first example of "Using results from submitted tasks": {@code submit()} returns a {@link
 * TaskFuture}, Weft's {@code PrefectFuture}.
 *
 * <p>Python prints the object's class. In Java the variable's type is what the compiler checked, and it is
 * the interface {@code TaskFuture}; the class behind it is internal to Weft, so the twin prints the
 * interface the future is used through.
 */
public final class FutureType {
    private FutureType() {}

    // snippet:future-type
    static final Task1<String, String> sayHello = Task.of("say_hello", (String name) -> "Hello " + name + "!");

    static final Flow<Void> helloWorld = Flow.of("hello-world", () -> {
        TaskFuture<String> future = sayHello.submit("Marvin");
        System.out.println("variable 'future' is type " + TaskFuture.class);
    });
    // end-snippet:future-type

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        helloWorld.call();
    }
}
