package dev.weft.internal;

import dev.weft.State;
import jdk.jfr.FlightRecorder;

/**
 * Where the engine tells JDK Flight Recorder about its runs: one {@link TaskRunEvent} per task run and one
 * {@link FlowRunEvent} per flow run, made only while a recording has them enabled.
 *
 * <p>Design notes. Off, they cost a volatile read or two per run and allocate nothing. Until the flight
 * recorder is initialized in this process ({@code -XX:StartFlightRecording}, {@code jcmd <pid> JFR.start},
 * a {@code jdk.jfr.Recording}), each hook reads one flag, {@link FlightRecorder#isInitialized()}, and the
 * event classes are not even loaded: the JVM hands every event class it loads to the recorder to
 * instrument, which costs a program that never records a few hundred classes and a fraction of a second.
 * Once it is initialized, each hook asks the event class whether a recording enables the event, a read of
 * the class's configuration that JFR maintains; only then is an event made.
 */
final class FlightEvents {
    private FlightEvents() {}

    /** A task run moved to RUNNING (its first try, or a later one). */
    static void taskRunning(TaskRun<?> run) {
        if (FlightRecorder.isInitialized()) {
            TaskRunEvent.running(run);
        }
    }

    /** A task run's try runs on the calling thread. */
    static void taskRunsHere(TaskRun<?> run) {
        if (FlightRecorder.isInitialized()) {
            TaskRunEvent.runsHere(run);
        }
    }

    /** A task run reached its final state. */
    static void taskEnded(TaskRun<?> run, State<?> finalState) {
        if (FlightRecorder.isInitialized()) { // else no event was ever made in this process
            TaskRunEvent.ended(run, finalState);
        }
    }

    /** A flow run begins: returns its event, begun, or null when no recording enables the event. */
    static FlowRunEvent flowBegun() {
        return FlightRecorder.isInitialized() ? FlowRunEvent.begun() : null;
    }

    /** A flow run reached its final state; {@code event} is what {@link #flowBegun()} returned for it. */
    static void flowEnded(FlowRun run, FlowRunEvent event, State<?> finalState) {
        if (FlightRecorder.isInitialized()) {
            FlowRunEvent.ended(run, event, finalState);
        }
    }
}
