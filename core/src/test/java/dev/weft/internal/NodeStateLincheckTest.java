package dev.weft.internal;

import dev.weft.State;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Property: a node that completed with a value, whose state is made only when first asked for, gives every
 * reader, on any thread, the one same final state holding that value, and its value without the state. The
 * completions, registrations and their property are {@link NodeLincheckTest}'s.
 */
public class NodeStateLincheckTest extends NodeLincheckTest {
    private final ConcurrentLinkedQueue<State<Integer>> seen = new ConcurrentLinkedQueue<>();

    /** The final state as a reader sees it once the node is done: its type, and its value if completed. */
    @Operation
    public String state() {
        if (!node().isDone()) {
            return "live";
        }
        State<Integer> state = node().state();
        seen.add(state);
        return state.isCompleted()
                ? "completed " + state.result()
                : state.type().name();
    }

    /** The value, read without the state; what {@code result()} gives. */
    @Operation
    public String value() {
        if (!node().isDone()) {
            return "live";
        }
        return node().endedCompleted() ? "completed " + node().resultNow() : "not completed";
    }

    /**
     * Lincheck takes one validation a test: the parent's, which it calls through this override, checks the
     * dependents, then the readers' states.
     */
    @Override
    public void everyRegisteredDependentIsToldExactlyOnce() {
        super.everyRegisteredDependentIsToldExactlyOnce();
        everyReaderGotTheSameState();
    }

    private void everyReaderGotTheSameState() {
        State<Integer> first = seen.peek();
        for (State<Integer> state : seen) {
            if (state != first) {
                throw new AssertionError("two readers got two final states: " + first + " and " + state);
            }
        }
        if (node().isDone() && node().state() != (first == null ? node().state() : first)) {
            throw new AssertionError("the node's state changed after it was read");
        }
    }

    @Override
    @Test
    protected void modelCheck() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(2)
                .check(getClass());
    }
}
