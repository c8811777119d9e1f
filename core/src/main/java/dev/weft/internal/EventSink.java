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
}
