package dev.weft.internal;

import dev.weft.TaskFuture;
import dev.weft.WaitTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: {@code asCompleted} registering on nodes while they end, and taking from its log meanwhile,
 * yields every occurrence of a node exactly once, only after that node has ended, and never loses one
 * (the consumer takes with a zero timeout, so it never parks under the model checker's virtual time).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class CompletionsLincheckTest {
    private final TestNode first = new TestNode("first");
    private final TestNode second = new TestNode("second");
    private final List<TaskFuture<Integer>> yielded = Collections.synchronizedList(new ArrayList<>());
    private volatile Iterator<TaskFuture<Integer>> iterator;

    @Operation(runOnce = true)
    public void asCompleted() {
        iterator = TaskFuture.asCompleted(List.of(first, second, first), Duration.ZERO)
                .iterator();
    }

    @Operation(runOnce = true)
    public void take() {
        Iterator<TaskFuture<Integer>> it = iterator;
        if (it != null) {
            takeAvailable(it);
        }
    }

    @Operation(runOnce = true)
    public void completeFirst() {
        first.completeWith(1);
    }

    @Operation(runOnce = true)
    public void failSecond() {
        second.failWith("second failed");
    }

    private void takeAvailable(Iterator<TaskFuture<Integer>> it) {
        while (it.hasNext()) {
            TaskFuture<Integer> next;
            try {
                next = it.next();
            } catch (WaitTimeoutException nothingYet) {
                return;
            }
            if (!next.isDone()) {
                throw new AssertionError("yielded " + next.name() + " before it ended");
            }
            yielded.add(next);
        }
    }

    @Validate
    public void yieldsEveryEndedOccurrenceExactlyOnce() {
        Iterator<TaskFuture<Integer>> it = iterator;
        if (it == null) {
            return;
        }
        takeAvailable(it);
        long firsts = yielded.stream().filter(f -> f == first).count();
        long seconds = yielded.stream().filter(f -> f == second).count();
        long expectedFirsts = first.isDone() ? 2 : 0;
        long expectedSeconds = second.isDone() ? 1 : 0;
        if (firsts != expectedFirsts || seconds != expectedSeconds) {
            throw new AssertionError(
                    "yielded " + yielded + ", expected first x" + expectedFirsts + " and second x" + expectedSeconds);
        }
        if (it.hasNext() == (firsts + seconds == 3)) {
            throw new AssertionError("hasNext() is " + it.hasNext() + " after yielding " + yielded);
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
