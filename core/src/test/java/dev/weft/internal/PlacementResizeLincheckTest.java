package dev.weft.internal;

import dev.weft.Resources;
import dev.weft.contract.ProbeCall;
import dev.weft.runner.Placement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Properties of a placement whose workers' slot counts change while calls are placed and ended on them, as
 * a runner that sends calls ahead resizes them: a worker never holds more calls than the largest count it
 * was given; no slot is lost or made up (once every call has ended, each worker holds none); every call
 * ends exactly once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Param(name = "worker", gen = IntGen.class, conf = "0:1")
@Param(name = "slots", gen = IntGen.class, conf = "1:3")
public class PlacementResizeLincheckTest {
    private final ConcurrentLinkedQueue<Placement.Placed> started = new ConcurrentLinkedQueue<>();
    private final Set<Placement.Placed> inFlight = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Probe> submitted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger violations = new AtomicInteger();
    /** The largest slot count each worker was given so far. */
    private final AtomicIntegerArray largest = new AtomicIntegerArray(new int[] {1, 1});

    private final Placement placement;

    public PlacementResizeLincheckTest() {
        placement = Placement.builder("test")
                .workersMayLeave()
                .workers(2, Resources.NONE, 1)
                .launcher(this::launched)
                .build();
    }

    private void launched(Placement.Placed placed) {
        inFlight.add(placed);
        int index = placed.worker().equals(name(0)) ? 0 : 1;
        long held = inFlight.stream()
                .filter(p -> p.worker().equals(placed.worker()))
                .count();
        if (held > largest.get(index)) {
            violations.incrementAndGet(); // more calls than it was ever given slots for
        }
        started.add(placed);
    }

    @Operation
    public void submit() {
        Probe probe = new Probe();
        submitted.add(probe);
        placement.submit(probe);
    }

    /** Begins and ends one started call, as a runner running it elsewhere does. */
    @Operation
    public void endOne() {
        Placement.Placed placed = started.poll();
        if (placed != null) {
            end(placed);
        }
    }

    @Operation
    public void resize(@Param(name = "worker") int worker, @Param(name = "slots") int slots) {
        largest.accumulateAndGet(worker, slots, Math::max); // before: a call placed under it may come at once
        placement.resizeWorker(name(worker), slots);
    }

    private static String name(int worker) {
        return "worker-" + worker;
    }

    private void end(Placement.Placed placed) {
        inFlight.remove(placed);
        Probe probe = (Probe) placed.call();
        if (placed.begin() && placed.end()) {
            probe.ended.incrementAndGet();
        }
    }

    @Validate
    public void neverOverbookedNoSlotLostEndedOnce() {
        if (violations.get() != 0) {
            throw new AssertionError(violations.get() + " calls placed over the slots their worker was given");
        }
        placement.resizeWorker(name(0), 3); // room for every call left
        Placement.Placed placed;
        while ((placed = started.poll()) != null) {
            end(placed);
        }
        for (int w = 0; w < 2; w++) {
            int busy = placement.busySlots(name(w));
            if (busy != 0) {
                throw new AssertionError("worker " + w + " holds " + busy + " slots with no call on it");
            }
        }
        for (Probe probe : submitted) {
            if (probe.ended.get() != 1) {
                throw new AssertionError("a call ended " + probe.ended.get() + " times");
            }
        }
    }

    @Test
    void modelCheck() {
        new ModelCheckingOptions()
                .iterations(15)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(2)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(15)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .check(getClass());
    }

    /** A call of the test: counts how often it ended. */
    private static final class Probe extends ProbeCall {
        final AtomicInteger ended = new AtomicInteger();

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public boolean run(Runnable whenFinal) {
            return true;
        }

        @Override
        public void crash(Throwable cause) {
            throw new AssertionError("no call of this test crashes: " + cause);
        }
    }
}
