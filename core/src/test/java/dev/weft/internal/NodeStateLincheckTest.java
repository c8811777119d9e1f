package dev.weft.internal;

import dev.weft.State;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: a node that completed with a value, whose state is made only when first asked for, gives every
 * reader, on any thread, the one same final state holding that value, and its value without the state.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class NodeStateLincheckTest {
    private final TestNode node = new TestNode("n");
    private final ConcurrentLinkedQueue<State<Integer>> seen = new ConcurrentLinkedQueue<>();

    @Operation
    public boolean complete() {
        return node.completeWith(7);
    }

    @Operation
    public boolean fail() {
        return node.failWith("no");
    }

    /** The final state as a reader sees it once the node is done: its type, and its value if completed. */
    @Operation
    public String state() {
        if (!node.isDone()) {
            return "live";
        }
        State<Integer> state = node.state();
        seen.add(state);
        return state.isCompleted()
                ? "completed " + state.result()
                : state.type().name();
    }

    /** The value, read without the state; what {@code result()} gives. */
    @Operation
    public String value() {
        if (!node.isDone()) {
            return "live";
        }
        return node.endedCompleted() ? "completed " + node.resultNow() : "not completed";
    }

    @Validate
    public void everyReaderGotTheSameState() {
        State<Integer> first = seen.peek();
        for (State<Integer> state : seen) {
            if (state != first) {
                throw new AssertionError("two readers got two final states: " + first + " and " + state);
            }
        }
        if (node.isDone() && node.state() != (first == null ? node.state() : first)) {
            throw new AssertionError("the node's state changed after it was read");
        }
    }

    @Test
    void modelCheck() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(2)
                .check(getClass());
    }
}
