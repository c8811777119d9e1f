package dev.weft.internal;

import dev.weft.StateType;
import dev.weft.TaskFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: a gathered future registers on its inputs while they complete, and still ends exactly when
 * the last one has completed, with the values in input order; it fails as soon as one input failed,
 * and never completes early.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class GatherLincheckTest {
    private final TestNode first = new TestNode("first");
    private final TestNode second = new TestNode("second");
    private volatile TaskFuture<List<Integer>> gathered;

    @Operation(runOnce = true)
    public void gather() {
        gathered = TaskFuture.gather(List.of(first, second));
    }

    @Operation(runOnce = true)
    public void completeFirst() {
        first.completeWith(1);
    }

    @Operation(runOnce = true)
    public void completeSecond() {
        second.completeWith(2);
    }

    @Operation(runOnce = true)
    public void failSecond() {
        second.failWith("second failed");
    }

    @Validate
    public void endsExactlyWhenItsInputsDo() {
        TaskFuture<List<Integer>> g = gathered;
        if (g == null) {
            return;
        }
        boolean secondFailed = second.isDone() && second.state().isFailed();
        boolean allCompleted = first.isDone() && second.isDone() && !secondFailed;
        if (secondFailed) {
            if (g.state().type() != StateType.FAILED) {
                throw new AssertionError("an input failed but the gather is " + g.state());
            }
        } else if (allCompleted) {
            if (!g.isDone() || !g.state().result().equals(List.of(1, 2))) {
                throw new AssertionError("both inputs completed but the gather is " + g.state());
            }
        } else if (g.isDone()) {
            throw new AssertionError("the gather ended before its inputs: " + g.state());
        }
    }

    @Test
    void modelCheck() {
        new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(2)
                .check(getClass());
    }
}
