package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.State;
import dev.weft.StateType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class RecorderTest {

    @Test
    void shouldDeliverEventsToSinksInTheOrderTheyWereRecorded() {
        List<Object> seen = new ArrayList<>();
        Recorder recorder = new Recorder(List.of(e -> seen.add(e.detail())));
        recorder.record(Event.Kind.TASK_STATE, null, StateType.RUNNING);
        recorder.record(Event.Kind.TASK_STATE, null, State.completed(1));
        assertThat(seen).containsExactly(StateType.RUNNING, State.completed(1));
    }

    @Test
    void shouldNotMakeAnEventThatNoSinkWants() {
        List<Event> seen = new ArrayList<>();
        EventSink onlyFinalStates = new EventSink() {
            @Override
            public void accept(Event event) {
                seen.add(event);
            }

            @Override
            public boolean wants(Event.Kind kind, Object detail) {
                return detail instanceof State<?>;
            }
        };
        Recorder recorder = new Recorder(List.of(onlyFinalStates));
        recorder.record(Event.Kind.TASK_STATE, null, StateType.RUNNING);
        recorder.record(Event.Kind.TASK_STATE, null, State.completed(1));
        assertThat(seen).extracting(Event::detail).containsExactly(State.completed(1));
    }

    @Test
    void shouldKeepDeliveringToOtherSinksWhenOneThrows() {
        List<Event> seen = new ArrayList<>();
        Recorder recorder = new Recorder(List.of(
                e -> {
                    throw new IllegalStateException("broken sink");
                },
                seen::add));
        recorder.record(Event.Kind.TASK_STATE, null, StateType.RUNNING);
        assertThat(seen).hasSize(1);
    }

    @Test
    void shouldDeliverToASinkAddedLaterAndStopAfterItIsRemoved() {
        List<Event> seen = new ArrayList<>();
        EventSink sink = seen::add;
        Recorder recorder = new Recorder(List.of());
        recorder.record(Event.Kind.TASK_STATE, null, StateType.RUNNING);
        recorder.addSink(sink);
        recorder.record(Event.Kind.TASK_STATE, null, StateType.RUNNING);
        recorder.removeSink(sink);
        recorder.record(Event.Kind.TASK_STATE, null, StateType.RUNNING);
        assertThat(seen).hasSize(1);
    }
}
