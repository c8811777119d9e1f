package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;

/**
 * Twin of "When to use {@code .result()} in flows", mixing tasks and plain Java: {@code result()} turns a
 * task's future into a value that plain code can use, and that value goes back into a task. The seed
 * calls {@code .submit} on its plain function, which only tasks have; the twin calls the method, as the
 * seed means. Weft does not see that {@code say_hello} is upstream of {@code say_nice_to_meet_you}: the
 * value reached it through plain code.
 */
public final class MixingTasksAndFunctions {
    private MixingTasksAndFunctions() {}

    // snippet:mixed
    static String sayHelloExtraNicelyToMarvin(String hello) { // not a task!
        if (hello.equals("Hello Marvin!")) {
            return "HI MARVIN!";
        }
        return hello;
    }

    static final Task1<String, String> sayHello = Task.of("say_hello", (String name) -> "Hello " + name + "!");

    static final Task1<String, String> sayNiceToMeetYou =
            Task.of("say_nice_to_meet_you", (String helloGreeting) -> helloGreeting + " Nice to meet you :)");

    static final Flow<TaskFuture<String>> helloWorld = Flow.of("hello-world", () -> {
        // run a task and get the result
        String hello = sayHello.submit("Marvin").result();

        // use the result in plain Java logic
        String specialGreeting = sayHelloExtraNicelyToMarvin(hello);

        // pass the modified greeting back into a task
        TaskFuture<String> niceToMeetYou = sayNiceToMeetYou.submit(specialGreeting);
        return niceToMeetYou;
    });
    // end-snippet:mixed

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        helloWorld.call();
    }
}
