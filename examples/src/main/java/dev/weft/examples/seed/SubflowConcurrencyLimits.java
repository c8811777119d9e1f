package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.TaskFuture;
import dev.weft.WeftClient;

/**
 * Twin of the warning "Concurrency limits in subflows" of "Task run concurrency limits": "Using
 * concurrency limits on task runs in subflows can cause deadlocks." The task {@code outer}, tagged {@code
 * small_instance}, calls a subflow whose task {@code inner} carries the same tag, and the tag's limit is
 * 1. {@code outer} holds the only slot while it waits for the subflow, and {@code inner} needs that slot to
 * run: in Prefect both would wait forever. Weft sees that every slot of the tag is held by runs that wait
 * for the queued run, and fails {@code inner} at once with a message that names the tag and both runs;
 * the subflow prints it. The subflow run then fails, {@code outer} fails and gives its slot back, and the
 * flow run ends {@code Failed}, counting both: the example prints its state, which {@link
 * Flow#callForState()} returns where {@link Flow#call()} would throw.
 *
 * <p>As the message says, giving the inner task another tag, or a limit above what the outer runs hold,
 * avoids the deadlock. The limit is set through the {@link WeftClient} when the example starts and deleted
 * when it ends.
 */
public final class SubflowConcurrencyLimits {
    private SubflowConcurrencyLimits() {}

    // snippet:subflow-concurrency-limits
    static final Task0<String> inner = Task.of("inner", () -> "inner result").withTags("small_instance");

    static final Flow<String> mySubflow = Flow.of("my-subflow", () -> {
        TaskFuture<String> future = inner.submit(); // needs the slot that outer holds
        State<String> state = future.await(); // no hang: Weft fails the run that would deadlock
        System.out.println("inner: " + state.message());
        return future.result(); // throws, so the subflow run fails, and outer with it
    });

    static final Task0<String> outer = Task.of("outer", () -> mySubflow.call()).withTags("small_instance");

    static final Flow<Void> myFlow = Flow.of("my-flow", () -> {
        outer.submit(); // takes the only slot on 'small_instance', then calls the subflow
    });

    /**
     * Sets a limit of 1 on 'small_instance', runs the flow, prints its final state, and deletes the limit.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (WeftClient client = WeftClient.open()) {
            client.createConcurrencyLimit("small_instance", 1);
            try {
                State<Void> state = myFlow.callForState();
                System.out.println("my-flow: " + state);
            } finally {
                client.deleteConcurrencyLimitByTag("small_instance");
            }
        }
    }
    // end-snippet:subflow-concurrency-limits
}
