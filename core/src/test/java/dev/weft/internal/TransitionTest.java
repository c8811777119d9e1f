package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.IllegalTransitionException;
import dev.weft.Resources;
import dev.weft.Retries;
import dev.weft.State;
import dev.weft.StateType;
import java.util.List;
import org.junit.jupiter.api.Test;

final class TransitionTest {

    private static TaskRun<Integer> pendingRun() {
        FlowRun flow = new FlowRun("flow", "test-run", null, null, new Recorder(List.of()));
        return new TaskRun<>(
                TaskSpec.of("t", args -> 1, false),
                flow,
                0,
                new Object[0],
                0,
                Resources.NONE,
                new String[0],
                null,
                false,
                Retries.NONE,
                null);
    }

    @Test
    void shouldRecordEveryStateARunGoesThrough() {
        TestNode node = new TestNode("n");
        node.moveTo(Transition.RETRY);
        node.moveTo(Transition.QUEUE);
        node.moveTo(Transition.START);
        node.moveTo(Transition.LOSE);
        node.moveTo(Transition.START);
        node.completeWith(1);
        assertThat(node.history())
                .isEqualTo("Running -> AwaitingRetry -> Queued -> Running -> Pending -> Running -> Completed");
    }

    @Test
    void shouldThrowWithTheRunsHistoryOnAnIllegalTransition() {
        TaskRun<Integer> run = pendingRun();
        assertThatThrownBy(() -> run.settle(State.completed(1)))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("Task run 't-" + Names.taskKey("t") + "-0' cannot move from Pending to Completed"
                        + " (COMPLETE leaves from Running only); its states so far: Pending");
        assertThat(run.type()).isEqualTo(StateType.PENDING);
    }

    /**
     * Two attempts for a run's slots may both find its tag full, and one may get the slots as the other
     * says so: queuing a run already queued, or already started, changes nothing and throws nothing.
     */
    @Test
    void shouldQueueARunOnceAndNotOnceItStarted() {
        TaskRun<Integer> run = pendingRun();

        assertThat(run.queue()).isTrue();
        assertThat(run.queue()).as("already queued").isFalse();
        run.transition(Transition.START);
        assertThat(run.queue()).as("already running").isFalse();

        assertThat(run.type()).isEqualTo(StateType.RUNNING);
        assertThat(run.history()).isEqualTo("Pending -> Queued -> Running");
    }

    @Test
    void shouldThrowOnAnIllegalMoveBetweenLiveStates() {
        TestNode node = new TestNode("n");
        assertThatThrownBy(() -> node.moveTo(Transition.QUEUE))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining(
                        "cannot move from Running to Queued (QUEUE leaves from Pending, AwaitingRetry only)");
    }

    @Test
    void shouldIgnoreTransitionsOfARunThatHasEnded() {
        TestNode node = new TestNode("n");
        assertThat(node.failWith("first")).isTrue();
        assertThat(node.completeWith(1)).isFalse();
        assertThat(node.moveTo(Transition.START)).isFalse();
        assertThat(node.state().message()).isEqualTo("first");
        assertThat(node.history()).isEqualTo("Running -> Failed");
    }

    @Test
    void shouldKeepTheLastSixteenStatesOfALongHistory() {
        TestNode node = new TestNode("n");
        for (int i = 0; i < 10; i++) {
            node.moveTo(Transition.RETRY);
            node.moveTo(Transition.START);
        }
        assertThat(node.history().split(" -> ")).hasSize(16);
    }

    @Test
    void shouldMoveAFlowRunThroughTheSameTableAndRecordItsEndOnce() {
        FlowRun flow = new FlowRun("flow", "test-run", null, null, new Recorder(List.of()));
        FlowState state = new FlowState(flow);
        state.begin();
        assertThat(state.end(State.completed(1))).isTrue();
        assertThat(state.end(State.crashed("too late", null))).isFalse(); // a signal after the thread's end
        assertThat(state.history()).isEqualTo("Pending -> Running -> Completed");

        FlowState neverBegun = new FlowState(flow); // its runner failed to start: no body ran
        assertThatThrownBy(() -> neverBegun.end(State.completed(1)))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("cannot move from Pending to Completed (COMPLETE leaves from Running only)");
        assertThat(neverBegun.end(State.crashed("Flow run crashed: its task runner failed to start", null)))
                .isTrue();
        assertThat(neverBegun.history()).isEqualTo("Pending -> Crashed");
    }
}
