package dev.weft.internal;

import dev.weft.Resources;
import dev.weft.contract.ProbeCall;
import dev.weft.runner.Placement;
import dev.weft.runner.WaitHelper;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: with {@link Placement.Builder#callerRuns()}, every call runs exactly once and no worker runs
 * more calls at once than its slots, whichever thread gets to a call first: the caller that waits for it
 * (running what was offered to it), the runner's thread (running what was launched), or neither until the
 * call held for its submitter is launched because that thread submitted again or waited for something else.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class PlacementCallerRunsLincheckTest {
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger overbooked = new AtomicInteger();
    private final ConcurrentLinkedQueue<Placement.Placed> launched = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Probe> submitted = new ConcurrentLinkedQueue<>();
    private final Placement placement = Placement.builder("test")
            .worker("w", Resources.NONE, 2)
            .callerRuns()
            .launcher(launched::add)
            .build();

    /** Submits a call, then waits for it at once: the thread runs what was offered, if it was placed. */
    @Operation
    public void submitAndWait() {
        Probe probe = submit();
        Runnable offered = probe.offered;
        if (offered != null) {
            offered.run();
        }
    }

    /** Submits a call and goes on: placed now, it is held for this thread. */
    @Operation
    public void submitOnly() {
        submit();
    }

    /** The runner's thread runs one launched call: nothing, if a caller took it first. */
    @Operation
    public void runLaunched() {
        Placement.Placed placed = launched.poll();
        if (placed != null) {
            placed.run();
        }
    }

    /** A waiter takes the oldest call offered to it that is still there, as one that waits for it. */
    @Operation
    public void waitForOne() {
        for (Probe probe : submitted) {
            Runnable offered = probe.offered;
            if (offered != null && probe.runs.get() == 0) {
                offered.run();
                return;
            }
        }
    }

    /** The thread waits for something else: a call held for it is launched. */
    @Operation
    public void waitForSomethingElse() {
        WaitHelper.beforeWaiting();
    }

    private Probe submit() {
        Probe probe = new Probe();
        submitted.add(probe);
        placement.submit(probe);
        return probe;
    }

    @Validate
    public void eachCallRanOnceAndNoSlotWasOverbooked() {
        if (overbooked.get() != 0) {
            throw new AssertionError("the worker ran more calls than its 2 slots at once");
        }
        // Drain as waiters and the runner's threads would: every call ends up run, once.
        boolean progress = true;
        while (progress) {
            progress = false;
            Placement.Placed placed;
            while ((placed = launched.poll()) != null) {
                placed.run();
                progress = true;
            }
            for (Probe probe : submitted) {
                Runnable offered = probe.offered;
                if (offered != null && probe.runs.get() == 0) {
                    offered.run();
                    progress = true;
                }
            }
        }
        for (Probe probe : submitted) {
            if (probe.runs.get() != 1) {
                throw new AssertionError("a call ran " + probe.runs.get() + " times");
            }
        }
        if (placement.busySlots("w") != 0) {
            throw new AssertionError(placement.busySlots("w") + " slots are still taken after every call ran");
        }
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(30)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .check(getClass());
    }

    private final class Probe extends ProbeCall {
        final AtomicInteger runs = new AtomicInteger();
        volatile Runnable offered;

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public Resources resources() {
            return Resources.NONE;
        }

        @Override
        public boolean offerToWaiter(Runnable here) {
            offered = here;
            return true; // its submitter may wait for it
        }

        @Override
        public boolean run(Runnable whenFinal) {
            if (running.incrementAndGet() > 2) {
                overbooked.incrementAndGet();
            }
            runs.incrementAndGet();
            running.decrementAndGet();
            return true;
        }

        @Override
        public void crash(Throwable cause) {
            throw new AssertionError("crashed: " + cause);
        }
    }
}
