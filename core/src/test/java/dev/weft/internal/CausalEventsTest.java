package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whoever sees a run done and goes on logs after that run's "finished" line: a dependent that starts, a
 * flow that takes a result and submits the next task. Checked on the events the recorder delivers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class CausalEventsTest {
    static final Task1<Integer, Integer> INC = Task.of("inc", (Integer x) -> x + 1);

    private static List<Event> record(Runnable body) {
        List<Event> events = new ArrayList<>(); // the recorder delivers one event at a time
        EventSink sink = events::add;
        Recorder.global().addSink(sink);
        try {
            body.run();
            Recorder.global().flush();
        } finally {
            Recorder.global().removeSink(sink);
        }
        return List.copyOf(events);
    }

    private static int indexOf(List<Event> events, TaskFuture<?> run, Event.Kind kind, boolean finalState) {
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (e.subject() == run
                    && e.kind() == kind
                    && (kind != Event.Kind.TASK_STATE || (e.detail() instanceof State<?>) == finalState)) {
                return i;
            }
        }
        throw new AssertionError("no " + kind + " event for " + run.name());
    }

    @Test
    void shouldLogAnUpstreamsEndBeforeItsDependentStarts() {
        for (int round = 0; round < 300; round++) {
            List<TaskFuture<Integer>> runs = new ArrayList<>();
            List<Event> events = record(() -> Flow.of("chain", new ConcurrentTaskRunner(), () -> {
                        TaskFuture<Integer> f = INC.submit(0);
                        runs.add(f);
                        for (int i = 0; i < 20; i++) {
                            f = INC.submit(f);
                            runs.add(f);
                        }
                        f.result();
                    })
                    .call());
            for (int i = 1; i < runs.size(); i++) {
                int upstreamEnded = indexOf(events, runs.get(i - 1), Event.Kind.TASK_STATE, true);
                int started = indexOf(events, runs.get(i), Event.Kind.TASK_STATE, false);
                assertThat(upstreamEnded).as("round %d, run %d", round, i).isLessThan(started);
            }
        }
    }

    @Test
    void shouldLogAResultsRunEndBeforeWhatTheFlowSubmitsNext() {
        for (int round = 0; round < 300; round++) {
            List<TaskFuture<Integer>> runs = new ArrayList<>();
            List<Event> events = record(() -> Flow.of("result-then-submit", new ConcurrentTaskRunner(), () -> {
                        TaskFuture<Integer> first = INC.submit(0);
                        runs.add(first);
                        runs.add(INC.submit(first.result()));
                    })
                    .call());
            int ended = indexOf(events, runs.get(0), Event.Kind.TASK_STATE, true);
            int submitted = indexOf(events, runs.get(1), Event.Kind.TASK_SUBMITTED, false);
            assertThat(ended).as("round %d", round).isLessThan(submitted);
            assertThat(((State<?>) events.get(ended).detail()).type()).isEqualTo(StateType.COMPLETED);
        }
    }
}
