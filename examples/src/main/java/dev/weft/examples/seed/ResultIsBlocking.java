package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.Task1;

/**
 * Twin of "Calling {@code .result()} is blocking": the flow waits in {@code result()} until {@code
 * say_hello} has finished, and only then submits {@code do_important_stuff}.
 */
public final class ResultIsBlocking {
    private ResultIsBlocking() {}

    // snippet:result-blocks
    static final Task1<String, String> sayHello = Task.of("say_hello", (String name) -> "Hello " + name + "!");

    static final Task0<Void> doImportantStuff =
            Task.of("do_important_stuff", () -> System.out.println("Doing lots of important stuff!"));

    static final Flow<Void> helloWorld = Flow.of("hello-world", () -> {
        String hello = sayHello.submit("Marvin").result(); // blocks until `say_hello` has finished
        doImportantStuff.submit();
    });
    // end-snippet:result-blocks

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        helloWorld.call();
    }
}
