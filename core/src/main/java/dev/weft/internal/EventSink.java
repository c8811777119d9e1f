package dev.weft.internal;

/**
 * Receives the recorder's events, one at a time and in order, on whichever thread drains the recorder.
 * Must not block for long and should not throw (a throwing sink is reported and skipped).
 */
@FunctionalInterface
public interface EventSink {

    /**
     * Handles one event.
     *
     * @param event the event
     */
    void accept(Event event);

    /**
     * Says whether this sink wants events of a kind, before one is made. Called on the hot path, so it
     * must be cheap and lock-free; the default wants everything.
     *
     * @param kind the event's kind
     * @param detail the event's detail (see {@link Event#detail()})
     * @return whether {@link #accept} should see such an event
     */
    default boolean wants(Event.Kind kind, Object detail) {
        return true;
    }
}
