package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.TaskFuture;
import dev.weft.WeftClient;

/**
 * Twin of the note "0 concurrency limit aborts task runs" of "Task run concurrency limits": "if the
 * concurrency limit is set to 0 for a tag, any attempt to run a task with that tag will be aborted instead
 * of delayed." With a limit of 0 on {@code small_instance}, the query tagged with it never runs: its run
 * ends at once in the state {@code Aborted}, of type {@code CANCELLED}, with a message that names the tag,
 * and the flow run ends {@code Cancelled}. The example prints both states. It calls the flow with {@link
 * Flow#callForState()}, which returns the final state where {@link Flow#call()} would throw.
 *
 * <p>The limit is set through the {@link WeftClient} when the example starts and deleted when it ends.
 */
public final class ZeroConcurrencyLimit {
    private ZeroConcurrencyLimit() {}

    // snippet:zero-concurrency-limit
    static final Task0<String> query = Task.of("query", () -> {
                System.out.println("connected to the database"); // never printed: the run is aborted
                return "row 0";
            })
            .withTags("small_instance");

    static final Flow<Void> myFlow = Flow.of("my-flow", () -> {
        TaskFuture<String> future = query.submit();
        System.out.println("query: " + future.await());
    });

    /**
     * Sets a limit of 0 on 'small_instance', runs the flow, prints its final state, and deletes the limit.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (WeftClient client = WeftClient.open()) {
            client.createConcurrencyLimit("small_instance", 0); // aborts every run with the tag
            try {
                State<Void> state = myFlow.callForState();
                System.out.println("my-flow: " + state);
            } finally {
                client.deleteConcurrencyLimitByTag("small_instance");
            }
        }
    }
    // end-snippet:zero-concurrency-limit
}
