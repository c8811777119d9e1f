package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.TaskFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GetStateTest {

    @Test
    void shouldReturnTheCurrentStateOfTheRun() {
        State<String> state = GetState.myFlow.call();

        assertThat(state.type()).isIn(StateType.PENDING, StateType.RUNNING, StateType.COMPLETED);
    }

    @Test
    void shouldReturnStateWithoutWaitingForTheRunToFinish() {
        CompletableFuture<String> work = new CompletableFuture<>();
        Task0<String> myTask = Task.async("my_task", () -> work);
        AtomicReference<State<String>> whileRunning = new AtomicReference<>();
        AtomicReference<State<String>> afterwards = new AtomicReference<>();

        Flow.of("my-flow", () -> {
                    TaskFuture<String> future = myTask.submit();
                    whileRunning.set(future.state()); // the run cannot finish before `work` does
                    work.complete("I'm a task!");
                    future.await();
                    afterwards.set(future.state());
                })
                .call();

        assertThat(whileRunning.get().type()).isIn(StateType.PENDING, StateType.RUNNING);
        assertThat(afterwards.get().isCompleted()).isTrue();
        assertThat(afterwards.get().result()).isEqualTo("I'm a task!");
    }
}
