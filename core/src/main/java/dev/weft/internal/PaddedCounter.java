package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count that one kind of thread writes on a hot path while others read words near it, on a cache line
 * of its own: superclass fields are laid out before a subclass's, so the padding fields of these classes
 * sit on both sides of the value, and no other field shares its line. The flow run counts the runs made
 * in it here, and the live runs the next slot; where one thread alone writes the count, it adds with a plain
 * store ({@link #getAndIncrementByOwner}).
 */
final class PaddedCounter extends PaddedCounterValue {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(PaddedCounterValue.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // padding, never read
    private long p10, p11, p12, p13, p14, p15, p16, p17;

    /**
     * Adds one.
     *
     * @return the value before
     */
    long getAndIncrement() {
        return (long) VALUE.getAndAdd(this, 1L);
    }

    /**
     * Adds one, for a count that one thread alone writes: no atomic add.
     *
     * @return the value before
     */
    long getAndIncrementByOwner() {
        long v = (long) VALUE.get(this);
        VALUE.set(this, v + 1);
        return v;
    }

    /**
     * Returns the value.
     *
     * @return the value, read with volatile semantics
     */
    long get() {
        return (long) VALUE.getVolatile(this);
    }
}

/** The value of a {@link PaddedCounter}, after the padding before it. */
abstract class PaddedCounterValue extends PaddedCounterStart {
    /** Accessed through a {@code VarHandle} in {@link PaddedCounter}. */
    volatile long value;
}

/** The padding before the value of a {@link PaddedCounter}. */
abstract class PaddedCounterStart {
    @SuppressWarnings("unused") // padding, never read
    private long p00, p01, p02, p03, p04, p05, p06, p07;
}
