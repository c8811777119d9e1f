package dev.weft.internal;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

/**
 * An unbounded multi-producer, single-consumer queue: Weft's own name for the JCTools queue below it,
 * so the rest of the engine does not depend on which one it is. The field-updater variant is used
 * because the {@code Unsafe} one makes JDK 24+ print deprecation warnings at run time.
 *
 * @param <E> the element type
 */
public final class MpscQueue<E> {
    private final MessagePassingQueue<E> queue;

    /**
     * Creates a queue.
     *
     * @param chunkSize how many elements each linked chunk holds (a power of two)
     */
    public MpscQueue(int chunkSize) {
        this.queue = new MpscUnboundedAtomicArrayQueue<>(chunkSize);
    }

    /**
     * Adds an element. Any thread; lock-free; never fails.
     *
     * @param element not null
     */
    public void offer(E element) {
        queue.offer(element);
    }

    /**
     * Removes the oldest element. Only the one consumer thread may call it at a time. Returns null only
     * when the queue is empty; if a producer is between claiming a slot and filling it, waits for it.
     *
     * @return the element, or null
     */
    public E poll() {
        return queue.poll();
    }

    /**
     * Returns whether the queue looks empty. Any thread; a snapshot that may be stale on return.
     *
     * @return true if no element was visible
     */
    public boolean isEmpty() {
        return queue.isEmpty();
    }
}
