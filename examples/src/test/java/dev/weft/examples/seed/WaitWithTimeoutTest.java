package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.TaskFuture;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaitWithTimeoutTest {

    @Test
    void shouldTakeTheDoneBranchForATaskThatFinishesInTime() {
        // my_task only returns a constant: it has finished long before the second is up.
        assertThat(WaitWithTimeout.myFlow.call()).isEqualTo("I'm a task!");
    }

    @Test
    void shouldReturnEmptyWhileTheRunIsStillGoingAndTheStateOnceItIsDone() {
        CompletableFuture<String> work = new CompletableFuture<>();
        Task0<String> myTask = Task.async("my_task", () -> work);
        AtomicReference<Optional<State<String>>> whileRunning = new AtomicReference<>();
        AtomicReference<Optional<State<String>>> onceDone = new AtomicReference<>();

        Flow.of("my-flow", () -> {
                    TaskFuture<String> future = myTask.submit();
                    whileRunning.set(future.await(Duration.ofMillis(50))); // `work` is not done
                    work.complete("I'm a task!");
                    onceDone.set(future.await(Duration.ofSeconds(30)));
                })
                .call();

        assertThat(whileRunning.get()).isEmpty();
        assertThat(onceDone.get()).hasValueSatisfying(state -> {
            assertThat(state.isCompleted()).isTrue();
            assertThat(state.result()).isEqualTo("I'm a task!");
        });
    }
}
