package dev.weft.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: whichever thread drains, every recorded event reaches the sink exactly once, the events of
 * one thread in the order it recorded them, and none is stranded in the queue when the recording
 * threads have returned.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Param(name = "thread", gen = ThreadIdGen.class)
public class RecorderLincheckTest {
    private static final int THREADS = 4;
    private final List<long[]> seen = new ArrayList<>(); // only the drainer appends
    private final Recorder recorder = new Recorder(List.of(e -> seen.add((long[]) e.detail())));
    private final int[] sent = new int[THREADS];

    @Operation
    public void record(@Param(name = "thread") int thread) {
        recorder.record(Event.Kind.TASK_STATE, null, new long[] {thread, sent[thread]++});
    }

    @Validate
    public void everyEventArrivesOnceInItsThreadsOrder() {
        int total = 0;
        for (int n : sent) {
            total += n;
        }
        if (seen.size() != total) {
            throw new AssertionError(seen.size() + " events reached the sink without a flush; " + total + " were sent");
        }
        int[] next = new int[THREADS];
        for (long[] event : seen) {
            int thread = (int) event[0];
            if (event[1] != next[thread]++) {
                throw new AssertionError("thread " + thread + "'s events arrived out of order");
            }
        }
    }

    @Test
    void modelCheck() {
        new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(3)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(1_000)
                .threads(THREADS)
                .actorsPerThread(4)
                .check(getClass());
    }

    /** Two threads, one event each, many times: the shape in which a stranded event shows up in real time. */
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
}
