package dev.weft.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: a count in the counters file, added to by many threads at once, one through a stripe of its
 * own and the others through shared stripes, loses no addition, and a reader adding up its stripes sees a value it had at some moment (it behaves as one
 * atomic counter).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class CountersLincheckTest {
    private static final Counters FILE;

    static {
        try {
            // one owned stripe: one thread adds there with plain stores, the others to shared stripes atomically
            FILE = Counters.openIn(Files.createTempDirectory("weft-counters-lincheck"), 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Counters.Count COUNT = FILE.runner("lincheck").completed;

    /** What the count held before this scenario: each scenario starts from zero, as its specification. */
    private final long base = COUNT.sum();

    @Operation
    public void add() {
        COUNT.add(1);
    }

    @Operation
    public long read() {
        return COUNT.sum() - base;
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(30)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(SequentialCount.class)
                .check(getClass());
    }

    /** What the count must behave as: a plain counter. */
    public static final class SequentialCount {
        private long value;

        /** Adds one. */
        public void add() {
            value++;
        }

        /**
         * Reads it.
         *
         * @return the value
         */
        public long read() {
            return value;
        }
    }
}
