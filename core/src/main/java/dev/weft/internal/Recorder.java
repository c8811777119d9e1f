package dev.weft.internal;

import dev.weft.runner.DrainFlag;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Takes state changes off the hot path. A transition only appends an event to a lock-free MPSC queue;
 * the events are drained in order, in batches, by one consumer at a time, which feeds the sinks (the
 * logger, and later the store and metrics).
 *
 * <p>The consumer is whichever producer finds no drain in progress: it claims the drain flag with one
 * CAS and empties the queue, while producers that lose the CAS return at once. So no thread ever waits
 * for another here, and an uncontended producer sees its own event logged before it goes on, which keeps
 * a sequential flow's log in the order the seed pages print it. After releasing the flag the drainer
 * looks once more, so an event whose producer lost the CAS to it is never stranded; both sides use
 * sequentially consistent accesses for this hand-off (a producer writes the queue then reads the flag,
 * the drainer writes the flag then reads the queue), so at least one of them sees the other.
 *
 * <p>An event no sink wants (see {@link EventSink#wants}) is not made at all: with logging off and no
 * other sink, tracking a run's states costs nothing beyond the run itself.
 */
public final class Recorder {
    private static final Logger LOG = Logs.get(Recorder.class.getName());
    private static final Recorder GLOBAL = new Recorder(List.of(new LogSink()));

    private final MpscQueue<Event> queue = new MpscQueue<>(1024);
    private volatile EventSink[] sinks;

    private final DrainFlag draining = new DrainFlag();

    /**
     * Creates a recorder feeding the given sinks.
     *
     * @param sinks the first sinks
     */
    public Recorder(List<EventSink> sinks) {
        this.sinks = sinks.toArray(EventSink[]::new);
    }

    /**
     * Returns the recorder every flow run reports to.
     *
     * @return the process-wide recorder
     */
    public static Recorder global() {
        return GLOBAL;
    }

    /**
     * Adds a sink; it sees the events recorded from then on. Sinks are added and removed rarely (copy on
     * write); recording never locks.
     *
     * @param sink the sink
     */
    public synchronized void addSink(EventSink sink) {
        List<EventSink> copy = new ArrayList<>(List.of(sinks));
        copy.add(sink);
        sinks = copy.toArray(EventSink[]::new);
    }

    /**
     * Removes a sink.
     *
     * @param sink the sink
     */
    public synchronized void removeSink(EventSink sink) {
        List<EventSink> copy = new ArrayList<>(List.of(sinks));
        copy.remove(sink);
        sinks = copy.toArray(EventSink[]::new);
    }

    /**
     * Records an event. Lock-free; never blocks on another thread.
     *
     * @param kind what happened
     * @param subject to what
     * @param detail see {@link Event#detail()}
     */
    public void record(Event.Kind kind, Object subject, Object detail) {
        if (wanted(kind, detail)) {
            queue.offer(new Event(kind, subject, detail, System.nanoTime()));
            drain();
        }
    }

    /**
     * Returns whether some sink wants an event like this one, so that a caller can skip building a costly
     * detail.
     *
     * @param kind the kind
     * @param detail a detail of the same kind as the real one
     * @return whether to record it
     */
    boolean wanted(Event.Kind kind, Object detail) {
        for (EventSink sink : sinks) {
            if (sink.wants(kind, detail)) {
                return true;
            }
        }
        return false;
    }

    /** Drains the queue unless another thread is draining it. */
    void drain() {
        while (!queue.isEmpty() && draining.tryTake()) {
            try {
                Event event;
                while ((event = queue.poll()) != null) {
                    dispatch(event);
                }
            } finally {
                draining.release(); // then the queue is read again: nothing a producer left is stranded
            }
        }
    }

    /**
     * Returns once every event recorded before the call has reached the sinks. It may wait for another
     * thread's drain to finish; used where a flow run ends, so that its last line is out when it returns.
     */
    public void flush() {
        for (; ; ) {
            drain();
            if (!draining.isHeld() && queue.isEmpty()) {
                return;
            }
            Thread.yield();
        }
    }

    private void dispatch(Event event) {
        for (EventSink sink : sinks) {
            try {
                if (sink.wants(event.kind(), event.detail())) {
                    sink.accept(event);
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Event sink {} failed on {}; the event is skipped for it", sink, event.kind(), e);
            }
        }
    }
}
