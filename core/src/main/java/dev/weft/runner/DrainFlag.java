package dev.weft.runner;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * The one drain scheme of the engine and its runners: many threads hand in work, and whichever takes the
 * flag does it for all, while the others return at once. The holder looks again after dropping the flag,
 * so nothing handed in while it held the flag is left unseen.
 *
 * {@snippet :
 * queue.offer(item);
 * flag.markDirty();
 * while (flag.tryTake()) {
 *     try {
 *         drainQueue();
 *     } finally {
 *         flag.release();
 *     }
 *     if (!flag.isDirty()) break;
 * }
 * }
 *
 * <p>{@link #run} is that loop. The flag is dropped with a volatile store, not a release store: what is
 * read next (the queue, the dirty mark) must not be read before the drop, or a hand-in by a thread that
 * failed to take the flag could be left with nobody to see it.
 */
public final class DrainFlag {
    private static final VarHandle HELD;
    private static final VarHandle DIRTY;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HELD = lookup.findVarHandle(DrainFlag.class, "held", int.class);
            DIRTY = lookup.findVarHandle(DrainFlag.class, "dirty", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through HELD
    private volatile int held;

    /** Creates a flag that nobody holds. */
    public DrainFlag() {}

    @SuppressWarnings("unused") // accessed through DIRTY
    private volatile int dirty;

    /**
     * Takes the flag if nobody holds it.
     *
     * @return whether the caller now holds it
     */
    public boolean tryTake() {
        return HELD.compareAndSet(this, 0, 1);
    }

    /**
     * Returns whether some thread holds the flag now.
     *
     * @return whether it is held
     */
    public boolean isHeld() {
        return (int) HELD.getVolatile(this) != 0;
    }

    /** Drops the flag; only its holder calls this. */
    public void release() {
        HELD.setVolatile(this, 0);
    }

    /** Says that something changed that the holder must look at, such as a release of resources. */
    public void markDirty() {
        DIRTY.setVolatile(this, 1);
    }

    /**
     * Clears the dirty mark; the holder calls it before it looks, so that a change made while it looks
     * marks the flag again.
     */
    public void clearDirty() {
        if (isDirty()) { // a read, not a write, when nothing marked it: the common case
            DIRTY.getAndSet(this, 0);
        }
    }

    /**
     * Takes the flag, or, if another thread holds it, marks it dirty so that its holder looks again once it
     * drops it: for a change that the holder's queue does not show (resources given back, say). Marks only
     * when the flag is held, so that an uncontended call writes the flag's words no more than a drain does.
     *
     * @return whether the caller now holds the flag (false: the holder will look)
     */
    public boolean takeOrMark() {
        if (tryTake()) {
            return true;
        }
        markDirty(); // then the flag is read again: its holder sees the mark, or it has dropped the flag
        return tryTake();
    }

    /**
     * Returns whether something changed since the mark was cleared.
     *
     * @return whether the flag is dirty
     */
    public boolean isDirty() {
        return (int) DIRTY.getVolatile(this) != 0;
    }

    /**
     * Runs {@code drain} under the flag until nothing is left for it: takes the flag (returning at once
     * if another thread holds it), clears the dirty mark, drains, drops the flag, and goes again while
     * {@code more} says work was handed in meanwhile.
     *
     * @param drain the work, done only by the holder
     * @param more whether work is pending, read after the flag was dropped
     */
    public void run(Runnable drain, BooleanSupplier more) {
        if (tryTake()) {
            drainHeld(drain, more);
        }
    }

    /**
     * As {@link #run}, for a change that {@code more} cannot show (resources given back, say): drains if
     * the flag is free, else leaves it to the holder ({@link #takeOrMark()}).
     *
     * @param drain the work, done only by the holder
     * @param more whether work is pending, read after the flag was dropped
     */
    public void signal(Runnable drain, BooleanSupplier more) {
        if (takeOrMark()) {
            drainHeld(drain, more);
        }
    }

    private void drainHeld(Runnable drain, BooleanSupplier more) {
        for (; ; ) {
            try {
                clearDirty();
                drain.run();
            } finally {
                release();
            }
            if (!(more.getAsBoolean() || isDirty()) || !tryTake()) {
                return;
            }
        }
    }
}
