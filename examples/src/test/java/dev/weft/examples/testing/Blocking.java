package dev.weft.examples.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Waits on a latch the way a task on a {@code ForkJoinTaskRunner} should block on anything but a Weft
 * future: through {@link ForkJoinPool#managedBlock}, so that the pool knows the thread is blocked and may
 * add one meanwhile. On any other thread it is a plain timed wait.
 */
public final class Blocking {
    /** How long a test waits for something that a correct runner makes happen at once. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private Blocking() {}

    /**
     * Waits until the latch is open, at most {@link #PATIENCE}.
     *
     * @param latch the latch
     * @return whether it opened in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean await(CountDownLatch latch) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
            @Override
            public boolean block() throws InterruptedException {
                latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                return true;
            }

            @Override
            public boolean isReleasable() {
                return latch.getCount() == 0 || deadline - System.nanoTime() <= 0;
            }
        });
        return latch.getCount() == 0;
    }
}
