package dev.weft.internal;

import dev.weft.State;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A task run as JDK Flight Recorder sees it: one event per run, from the moment it began running to its
 * final state, committed on the thread that ended it, so that JDK Mission Control shows a flow's task runs
 * beside the garbage collector and the threads that ran them. The engine reaches it through {@link
 * FlightEvents}, which keeps this class unloaded until the flight recorder is initialized.
 *
 * <p>Design notes. Each hook first asks a static probe {@link #isEnabled()}; only if a recording enables
 * the event is one made. A run carries no field for it: the events of runs that are running live in a map
 * that is empty unless a recording has enabled the event, so the end of a run reads one more word ({@link
 * ConcurrentHashMap#isEmpty()}) and, with the event disabled, writes nothing. A run that ends while the
 * event is disabled (the recording stopped meanwhile) still takes its event out of the map, and a start
 * that races a cancel takes out the event it put there after the cancel looked, so the map never keeps a
 * run that has ended.
 *
 * <p>A run that never ran (cancelled while it waited, or whose upstream run failed), or that was running
 * already when the event was enabled, is recorded at its end with no duration. A run retried or lost with
 * its worker keeps the beginning of its first try.
 */
@Name(TaskRunEvent.NAME)
@Label("Weft Task Run")
@Category("Weft")
@Description("A task run, from when it began running to its final state")
@StackTrace(false) // the engine's frames at the run's end say nothing about the run
final class TaskRunEvent extends Event {
    /** The event's name in recordings. */
    static final String NAME = "dev.weft.TaskRun";

    private static final TaskRunEvent PROBE = new TaskRunEvent();
    private static final ConcurrentHashMap<TaskRun<?>, TaskRunEvent> RUNNING = new ConcurrentHashMap<>();
    private static final Function<TaskRun<?>, TaskRunEvent> BEGIN = run -> {
        TaskRunEvent event = new TaskRunEvent();
        event.begin();
        return event;
    };
    private static final BiFunction<TaskRun<?>, TaskRunEvent, TaskRunEvent> RUNS_HERE = (run, event) -> {
        event.worker = Names.worker(Thread.currentThread());
        return event;
    };

    @Label("Task Run")
    @Description("The task run's name, such as say_hello-1a2b3c4d-0")
    String taskRun;

    @Label("Task")
    @Description("The task's name")
    String task;

    @Label("Flow Run")
    @Description("The name of the flow run it belongs to, such as olivine-swan")
    String flowRun;

    @Label("Flow")
    @Description("The flow's name")
    String flow;

    @Label("State")
    @Description("Its final state's type: COMPLETED, FAILED, CRASHED or CANCELLED")
    String state;

    @Label("Message")
    @Description("Its final state's message")
    String message;

    @Label("Task Runner")
    @Description("The name of its flow run's task runner")
    String runner;

    @Label("Worker")
    @Description("The thread that ran its last try in this JVM; empty for a run its runner ran elsewhere")
    String worker;

    /** The run moved to RUNNING: its event begins, unless it began with an earlier try. */
    static void running(TaskRun<?> run) {
        if (PROBE.isEnabled()) {
            RUNNING.computeIfAbsent(run, BEGIN); // then the final state is read: see ended
            if (run.isClaimed()) {
                RUNNING.remove(run); // a cancel ended it as it started, and may have looked before this event
            }
        }
    }

    /** The run's try runs on the calling thread, in this JVM: that thread is its worker. */
    static void runsHere(TaskRun<?> run) {
        if (PROBE.isEnabled()) {
            RUNNING.computeIfPresent(run, RUNS_HERE); // under the map's lock: the end sees the worker
        }
    }

    /** The run reached its final state: its event ends and is committed. */
    static void ended(TaskRun<?> run, State<?> finalState) {
        boolean enabled = PROBE.isEnabled();
        if (!enabled && RUNNING.isEmpty()) {
            return;
        }
        // The final state was written: a start that races this end reads it, or this removal sees its event.
        VarHandle.fullFence();
        TaskRunEvent event = RUNNING.remove(run);
        if (!enabled) {
            return;
        }
        if (event == null) {
            event = new TaskRunEvent(); // not begun: committed at this instant, with no duration
        } else {
            event.end();
        }
        if (event.shouldCommit()) {
            event.taskRun = run.name();
            event.task = run.task().name();
            event.flowRun = run.flow.name();
            event.flow = run.flow.flowName();
            event.state = finalState.type().name();
            event.message = finalState.message();
            event.runner = run.flow.runnerName();
            if (event.worker == null) {
                event.worker = "";
            }
            event.commit();
        }
    }

    /** Returns how many runs' events are open, for tests. */
    static int open() {
        return RUNNING.size();
    }
}
