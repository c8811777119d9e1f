package dev.weft.internal;

import dev.weft.InsufficientResourcesException;
import dev.weft.Resources;
import dev.weft.contract.ProbeCall;
import dev.weft.runner.Placement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Properties of a placement whose workers come and go while calls are placed, begun and ended on them, the
 * engine's part played by the probes (a call handed back as lost is submitted again): a worker never has
 * more calls placed on it than its one slot; no call is ever begun while another placement of it still
 * runs, so none runs twice at once; and every call ends exactly once (or crashes, once no worker is left
 * that fits it), however often its workers left under it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Param(name = "worker", gen = IntGen.class, conf = "0:2")
public class PlacementWorkersLincheckTest {
    private static final Resources PROCESS = Resources.of("process", 1);

    private final ConcurrentLinkedQueue<Placement.Placed> started = new ConcurrentLinkedQueue<>();
    private final Set<Placement.Placed> inFlight = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Probe> submitted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger violations = new AtomicInteger();
    private final AtomicInteger added = new AtomicInteger(2);
    private final Placement placement;

    public PlacementWorkersLincheckTest() {
        placement = Placement.builder("test")
                .workersMayLeave()
                .workers(2, PROCESS, 1)
                .launcher(this::launched)
                .build();
    }

    private void launched(Placement.Placed placed) {
        for (Placement.Placed other : inFlight) {
            if (other.worker().equals(placed.worker()) && other.held()) {
                violations.incrementAndGet(); // the worker's one slot is reserved twice
            }
        }
        inFlight.add(placed);
        started.add(placed);
    }

    @Operation
    public void submit() {
        Probe probe = new Probe(this);
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

    private void end(Placement.Placed placed) {
        Probe probe = (Probe) placed.call();
        if (placed.begin()) {
            Placement.Placed other = probe.running.getAndSet(placed);
            if (other != null && other.held()) {
                violations.incrementAndGet(); // begun while another placement of it still runs
            }
            if (placed.end()) {
                probe.ended.incrementAndGet();
            }
            probe.running.compareAndSet(placed, null);
        }
        inFlight.remove(placed);
    }

    @Operation
    public void removeWorker(@Param(name = "worker") int worker) {
        try {
            placement.removeWorker("worker-" + worker, "test");
        } catch (InsufficientResourcesException e) {
            throw e; // a call handed back could not be placed again: a defect, not a worker removed twice
        } catch (IllegalArgumentException alreadyGone) {
            // removed before: nothing to hand back
        }
    }

    @Operation
    public void addWorker() {
        placement.addWorker("worker-" + added.getAndIncrement(), PROCESS, 1);
    }

    @Validate
    public void neverOverbookedNeverTwiceEndedOnce() {
        if (violations.get() != 0) {
            throw new AssertionError(violations.get() + " violations: a slot or a call taken twice");
        }
        placement.addWorker("worker-last", PROCESS, 1); // so that every call left can end
        Placement.Placed placed;
        while ((placed = started.poll()) != null) {
            end(placed);
        }
        for (Probe probe : submitted) {
            int ends = probe.ended.get() + probe.crashed.get();
            if (ends != 1) {
                throw new AssertionError("a call ended " + ends + " times, lost " + probe.lost.get() + " times");
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

    /** A call of the test: resubmits itself when lost, as the engine does, and counts how it ended. */
    private static final class Probe extends ProbeCall {
        final AtomicReference<Placement.Placed> running = new AtomicReference<>();
        final AtomicInteger ended = new AtomicInteger();
        final AtomicInteger crashed = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        private final PlacementWorkersLincheckTest test;

        Probe(PlacementWorkersLincheckTest test) {
            this.test = test;
        }

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public Resources resources() {
            return PROCESS;
        }

        @Override
        public boolean run(Runnable whenFinal) {
            return true;
        }

        @Override
        public void lost(String worker, Throwable cause) {
            lost.incrementAndGet();
            test.placement.submit(this);
        }

        @Override
        public void crash(Throwable cause) {
            crashed.incrementAndGet(); // no worker left that fits it
        }
    }
}
