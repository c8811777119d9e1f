package dev.weft.internal;

import dev.weft.Resources;
import dev.weft.Retries;
import dev.weft.StateType;
import dev.weft.TaskRunner;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: a run with two upstream runs is handed to its runner exactly once, and only after both have
 * completed, whatever the order of its registration and their completions; if one fails, it is never
 * handed over and ends FAILED instead.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class DispatchLincheckTest {
    private final TestNode first = new TestNode("first");
    private final TestNode second = new TestNode("second");
    private final CountingRunner runner = new CountingRunner();
    private final FlowRun flow = new FlowRun("flow", "test-run", null, null, new Recorder(List.of()));
    private volatile TaskRun<Object> run;

    public DispatchLincheckTest() {
        flow.useRunner(runner);
        // A count is an atomic add on a mapped file, which the model checker cannot follow (it rejects the
        // buffer's VarHandle); the counts have their own stress test, CountersLincheckTest.
        flow.counts = null;
    }

    @Operation(runOnce = true)
    public void submit() {
        flow.runStarted();
        TaskRun<Object> r = new TaskRun<>(
                TaskSpec.of("t", args -> null, false),
                flow,
                0,
                new Object[] {first, second},
                0,
                Resources.NONE,
                new String[0],
                null,
                false,
                Retries.NONE,
                null);
        run = r;
        r.submit(new Node<?>[] {first, second});
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
    public void failFirst() {
        first.failWith("first failed");
    }

    @Validate
    public void dispatchedExactlyOnceWhenReady() {
        TaskRun<Object> r = run;
        int dispatched = runner.submitted.get();
        if (r == null) {
            if (dispatched != 0) {
                throw new AssertionError("dispatched without a run");
            }
            return;
        }
        boolean firstFailed = first.isDone() && first.state().isFailed();
        boolean ready = first.isDone() && second.isDone() && !firstFailed;
        if (firstFailed) {
            if (dispatched != 0 || r.type() != StateType.FAILED) {
                throw new AssertionError("upstream failed, yet dispatched " + dispatched + ", state " + r.state());
            }
        } else if (dispatched != (ready ? 1 : 0)) {
            throw new AssertionError("dispatched " + dispatched + " times; ready: " + ready);
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

    private static final class CountingRunner implements TaskRunner {
        final AtomicInteger submitted = new AtomicInteger();

        @Override
        public void start() {}

        @Override
        public void submit(Call call) {
            submitted.incrementAndGet();
        }

        @Override
        public void shutdown() {}

        @Override
        public TaskRunner duplicate() {
            return new CountingRunner();
        }
    }
}
