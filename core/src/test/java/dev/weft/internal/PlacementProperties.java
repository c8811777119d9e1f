package dev.weft.internal;

import dev.weft.Resources;
import dev.weft.contract.ProbeCall;
import dev.weft.runner.Placement;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Properties, with two workers of one thread slot and {@code process=1} each: reserved resources and
 * slots never exceed a worker's capacity; every call runs exactly once; and no call waits while a worker
 * it fits is free (a released slot or resource always starts a waiting call that fits). Checked without
 * ({@link PlacementLincheckTest}) and with ({@link PlacementInlineLincheckTest}) inline continuation, where
 * the thread that ends a call runs the next one itself; and with calls that need nothing only ({@link
 * PlacementPlainLincheckTest}), which start straight from the placement's queue.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public abstract class PlacementProperties {
    private static final Resources PROCESS = Resources.of("process", 1);

    private final AtomicInteger[] busy = {new AtomicInteger(), new AtomicInteger()};
    private final AtomicInteger overbooked = new AtomicInteger();
    private final ConcurrentLinkedQueue<Placement.Placed> started = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Probe> submitted = new ConcurrentLinkedQueue<>();
    private final Placement placement;
    private final Resources needed;

    /** With or without inline continuation, where the thread that ended a call runs the next one. */
    protected PlacementProperties(boolean continueInline) {
        this(continueInline, false);
    }

    /**
     * With or without inline continuation; with {@code plain}, every call needs nothing (its second
     * operation submits such a call too).
     */
    protected PlacementProperties(boolean continueInline, boolean plain) {
        this.needed = plain ? Resources.NONE : PROCESS;
        this.placement = Placement.builder("test")
                .workers(2, PROCESS, 1)
                .continueInline(continueInline)
                .launcher(this::launched)
                .build();
    }

    private static int index(Placement.Placed placed) {
        return placed.worker().equals("worker-0") ? 0 : 1;
    }

    private void launched(Placement.Placed placed) {
        ((Probe) placed.call()).launches.incrementAndGet();
        if (busy[index(placed)].incrementAndGet() > 1) {
            overbooked.incrementAndGet();
        }
        started.add(placed);
    }

    @Operation
    public void submitNeedingProcess() {
        submit(new Probe(needed));
    }

    @Operation
    public void submitNeedingNothing() {
        submit(new Probe(Resources.NONE));
    }

    private void submit(Probe probe) {
        submitted.add(probe);
        placement.submit(probe);
    }

    /** Ends one started call, which gives back its slot and resources. */
    @Operation
    public void endOne() {
        Placement.Placed placed = started.poll();
        if (placed != null) {
            busy[index(placed)].decrementAndGet();
            placed.run();
        }
    }

    @Validate
    public void neverOverbookedAndNothingLeftBehind() {
        if (overbooked.get() != 0) {
            throw new AssertionError("a worker ran more calls than its one slot at once");
        }
        // Every call fits either worker, so a call may only wait while both are busy.
        boolean waiting = submitted.stream().anyMatch(p -> p.launches.get() == 0 && p.runs.get() == 0);
        if (waiting && (busy[0].get() == 0 || busy[1].get() == 0)) {
            throw new AssertionError("a call waits although a worker is free: it was left behind");
        }
        Placement.Placed placed;
        while ((placed = started.poll()) != null) {
            busy[index(placed)].decrementAndGet();
            placed.run();
        }
        for (Probe probe : submitted) {
            if (probe.runs.get() != 1 || probe.launches.get() > 1) {
                throw new AssertionError(
                        "a call ran " + probe.runs.get() + " times, launched " + probe.launches.get() + " times");
            }
        }
    }

    @Test
    void modelCheck() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(2)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .check(getClass());
    }

    /** Two threads, one submission each, many times: the shape in which a stranded call shows up. */
    @Test
    void stressTheHandOff() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(20_000)
                .threads(2)
                .actorsPerThread(1)
                .actorsBefore(0)
                .actorsAfter(0)
                .check(getClass());
    }

    private static final class Probe extends ProbeCall {
        final AtomicInteger launches = new AtomicInteger();
        final AtomicInteger runs = new AtomicInteger();
        private final Resources resources;

        Probe(Resources resources) {
            this.resources = resources;
        }

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public Resources resources() {
            return resources;
        }

        @Override
        public boolean run(Runnable whenFinal) {
            runs.incrementAndGet();
            return true;
        }

        @Override
        public void crash(Throwable cause) {
            throw new AssertionError("crashed: " + cause);
        }
    }
}
