package dev.weft.examples.seed;

import dev.weft.Flow;

/**
 * Twin of "When to use {@code .result()} in flows", using only plain Java methods: they run as ordinary
 * code inside the flow, and Weft tracks no task runs for them. The flow returns the greeting.
 */
public final class OnlyFunctions {
    private OnlyFunctions() {}

    // snippet:only-functions
    static String sayHello(String name) {
        return "Hello " + name + "!";
    }

    static String sayNiceToMeetYou(String helloGreeting) {
        return helloGreeting + " Nice to meet you :)";
    }

    static final Flow<String> helloWorld = Flow.of("hello-world", () -> {
        String hello = sayHello("Marvin"); // a plain method: Weft does not track this call
        String niceToMeetYou = sayNiceToMeetYou(hello);
        return niceToMeetYou;
    });
    // end-snippet:only-functions

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        helloWorld.call();
    }
}
