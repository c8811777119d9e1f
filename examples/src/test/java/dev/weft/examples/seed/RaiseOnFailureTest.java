package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.RunFailedException;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.examples.testing.Transcript;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RaiseOnFailureTest {

    @Test
    void shouldTakeTheValueBranchWhenTheTaskCompletes() throws Exception {
        assertThat(Transcript.printed(Transcript.of(() -> RaiseOnFailure.main(new String[0]))))
                .containsExactly("my_task returned: I'm a task!");
    }

    @Test
    void shouldReturnTheTaskExceptionInsteadOfThrowingIt() {
        IllegalArgumentException thrown = new IllegalArgumentException("no such name");
        Task1<String, String> myTask = Task.of("my_task", (String name) -> {
            throw thrown;
        });
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<State<String>> state = new AtomicReference<>();
        AtomicReference<RuntimeException> raised = new AtomicReference<>();

        State<Void> flowState = Flow.of("my-flow", () -> {
                    TaskFuture<String> future = myTask.submit("Marvin");
                    result.set(future.resultOrException());
                    state.set(future.state());
                    try {
                        future.result();
                    } catch (RuntimeException e) {
                        raised.set(e);
                    }
                })
                .callForState();

        assertThat(result.get()).isSameAs(thrown);
        assertThat(state.get().isFailed()).isTrue();
        assertThat(raised.get())
                .isInstanceOf(RunFailedException.class)
                .hasMessageMatching("Task run 'my_task-[0-9a-f]{8}-0' finished in state Failed: .*no such name")
                .hasCause(thrown);
        // The body returns nothing, so every run counts: handling the exception does not hide the failed run.
        assertThat(flowState.isFailed()).isTrue();
        assertThat(flowState.message()).isEqualTo("1/1 states failed.");
    }
}
