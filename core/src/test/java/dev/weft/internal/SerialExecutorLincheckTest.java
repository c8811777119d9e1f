package dev.weft.internal;

import dev.weft.contract.ProbeCall;
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
 * Property: every call handed to the serial executor runs exactly once, never two at a time (an
 * asynchronous call counts as running until it reports its end), and none is left in the queue once
 * every thread has returned and the asynchronous call has ended.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class SerialExecutorLincheckTest {
    private final SerialExecutor executor = new SerialExecutor();
    private final ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final AsyncProbe async = new AsyncProbe();

    @Operation
    public void execute() {
        Probe probe = new Probe();
        probes.add(probe);
        executor.execute(probe);
    }

    @Operation(runOnce = true)
    public void executeAsync() {
        executor.execute(async);
    }

    @Operation(runOnce = true)
    public void endAsync() {
        async.end();
    }

    @Validate
    public void everyCallRanOnceAndAlone() {
        if (overlaps.get() != 0) {
            throw new AssertionError(overlaps.get() + " calls ran while another was running");
        }
        boolean asyncInFlight = async.runs.get() == 1 && !async.ended();
        for (Probe probe : probes) {
            int runs = probe.runs.get();
            if (runs > 1 || (runs == 0 && !asyncInFlight)) {
                throw new AssertionError("a call ran " + runs + " times");
            }
        }
        if (async.runs.get() > 1) {
            throw new AssertionError("the asynchronous call ran " + async.runs.get() + " times");
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

    @Test
    void stress() {
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .check(getClass());
    }

    /** Two threads, one call each, many times: the shape in which a stranded call shows up in real time. */
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

    private void enter() {
        if (running.incrementAndGet() != 1) {
            overlaps.incrementAndGet();
        }
    }

    private void exit() {
        running.decrementAndGet();
    }

    private final class Probe extends ProbeCall {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public boolean run(Runnable whenFinal) {
            enter();
            runs.incrementAndGet();
            exit();
            return true;
        }

        @Override
        public void crash(Throwable cause) {}
    }

    /** Ends either inside run(), if end() came first, or later through whenFinal: the engine's handshake. */
    private final class AsyncProbe extends ProbeCall {
        private static final int NOT_ENDED = 0;
        private static final int ENDED = 1;
        private static final int RETURNED = 2;
        final AtomicInteger runs = new AtomicInteger();
        private final AtomicInteger phase = new AtomicInteger();
        private volatile Runnable whenFinal;

        @Override
        public String name() {
            return "async";
        }

        @Override
        public boolean run(Runnable listener) {
            enter();
            runs.incrementAndGet();
            whenFinal = listener;
            if (phase.compareAndSet(NOT_ENDED, RETURNED)) {
                return false;
            }
            exit();
            return true;
        }

        void end() {
            if (phase.compareAndSet(NOT_ENDED, ENDED)) {
                return;
            }
            if (phase.get() == RETURNED && phase.compareAndSet(RETURNED, ENDED)) {
                exit();
                whenFinal.run();
            }
        }

        boolean ended() {
            return phase.get() == ENDED;
        }

        @Override
        public void crash(Throwable cause) {}
    }
}
