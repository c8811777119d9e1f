package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class StateTest {

    @Test
    void shouldPrintAsTheSeedPagesPrintStates() {
        assertThat(State.completed(1)).hasToString("Completed(message=null, type=COMPLETED)");
        assertThat(State.of(StateType.COMPLETED, "Completed", "All states completed.", null, null))
                .hasToString("Completed(message='All states completed.', type=COMPLETED)");
        assertThat(State.failed("1/3 states failed.", null))
                .hasToString("Failed(message='1/3 states failed.', type=FAILED)");
        assertThat(State.of(StateType.AWAITING_RETRY)).hasToString("AwaitingRetry(message=null, type=AWAITING_RETRY)");
    }

    @Test
    void shouldQuoteMessagesAsPythonReprDoes() {
        assertThat(State.of(StateType.PENDING, "task 'a' waits"))
                .hasToString("Pending(message=\"task 'a' waits\", type=PENDING)");
        assertThat(State.of(StateType.PENDING, "both ' and \""))
                .hasToString("Pending(message='both \\' and \"', type=PENDING)");
        assertThat(State.of(StateType.PENDING, "two\nlines"))
                .hasToString("Pending(message='two\\nlines', type=PENDING)");
    }

    @Test
    void shouldReturnTheValueOfACompletedState() {
        assertThat(State.completed("v").result()).isEqualTo("v");
        assertThat(State.completed("v").resultOrException()).isEqualTo("v");
    }

    @Test
    void shouldThrowTheExceptionOfAFailedStateNamingItsRun() {
        IllegalStateException boom = new IllegalStateException("boom");
        State<String> failed =
                State.<String>failed("Task run encountered an exception", boom).forRun("Task run 'a-00000000-0'");
        assertThatThrownBy(failed::result)
                .isInstanceOf(RunFailedException.class)
                .hasMessage("Task run 'a-00000000-0' finished in state Failed: Task run encountered an exception")
                .hasCause(boom);
        assertThat(failed.resultOrException()).isSameAs(boom);
    }

    @Test
    void shouldRefuseTheResultOfARunThatHasNotFinished() {
        assertThatThrownBy(() -> State.of(StateType.RUNNING).result())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has not finished");
    }

    @Test
    void shouldTellFinalTypesFromLiveOnes() {
        assertThat(StateType.values())
                .filteredOn(StateType::isFinal)
                .containsExactly(StateType.COMPLETED, StateType.FAILED, StateType.CRASHED, StateType.CANCELLED);
    }
}
