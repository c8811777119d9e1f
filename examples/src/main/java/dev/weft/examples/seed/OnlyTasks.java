package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;

/**
 * Twin of "When to use {@code .result()} in flows", using only tasks: futures go from task to task, and
 * Weft tracks both runs and the dependency between them. The flow returns the last future, whose run has
 * finished by the time the flow returns.
 */
public final class OnlyTasks {
    private OnlyTasks() {}

    // snippet:only-tasks
    static final Task1<String, String> sayHello = Task.of("say_hello", (String name) -> "Hello " + name + "!");

    static final Task1<String, String> sayNiceToMeetYou =
            Task.of("say_nice_to_meet_you", (String helloGreeting) -> helloGreeting + " Nice to meet you :)");

    static final Flow<TaskFuture<String>> helloWorld = Flow.of("hello-world", () -> {
        TaskFuture<String> hello = sayHello.submit("Marvin");
        TaskFuture<String> niceToMeetYou = sayNiceToMeetYou.submit(hello);
        return niceToMeetYou;
    });
    // end-snippet:only-tasks

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        helloWorld.call();
    }
}
