package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.runner.WorkerFailedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A call whose worker failed for good ({@link WorkerFailedException#goneWorker()}) on a runner that runs
 * calls in this process: it is lost with its worker and runs again, with the same inputs and without using
 * a retry, and crashes once it was lost three times; a worker that goes on crashes the call at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class WorkerGoneTest {

    /** Meets its worker gone on its first {@code losses} tries, then returns its input and where it ran. */
    private static Task1<Integer, String> losing(int losses, AtomicInteger tries, List<Integer> inputs) {
        return Task.of("losing", (Integer x) -> {
            inputs.add(x);
            int n = tries.incrementAndGet();
            if (n <= losses) {
                throw new WorkerFailedException("device #0 failed: gone", null, "gpu-" + n);
            }
            return x + " on try " + n;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "concurrent"})
    void shouldRunACallWhoseWorkerIsGoneAgainWithItsInputs(String runner) {
        AtomicInteger tries = new AtomicInteger();
        List<Integer> inputs = new CopyOnWriteArrayList<>();
        Task1<Integer, String> task = losing(2, tries, inputs);
        TaskRunner taskRunner = runner.equals("sequential") ? new SequentialTaskRunner() : new ConcurrentTaskRunner();

        State<String> state = Flow.of("gone-twice", taskRunner, () -> {
                    TaskFuture<Integer> upstream = Task.of("seven", () -> 7).submit();
                    return task.submit(upstream).await();
                })
                .call();

        assertThat(state.type()).as(state.message()).isEqualTo(StateType.COMPLETED);
        assertThat(state.result()).isEqualTo("7 on try 3");
        assertThat(inputs).as("each try got the upstream's value").containsExactly(7, 7, 7);
    }

    @Test
    void shouldCrashACallLostThreeTimesNamingTheWorkers() {
        AtomicInteger tries = new AtomicInteger();
        Task1<Integer, String> task =
                losing(Integer.MAX_VALUE, tries, new CopyOnWriteArrayList<>()).withRetries(5, java.time.Duration.ZERO);

        AtomicReference<State<String>> ran = new AtomicReference<>();
        Flow.of(
                        "gone-always",
                        new ConcurrentTaskRunner(),
                        () -> ran.set(task.submit(1).await()))
                .callForState();
        State<String> state = ran.get();

        assertThat(state.type()).isEqualTo(StateType.CRASHED);
        assertThat(state.message())
                .as("a lost try is not a retry")
                .isEqualTo("Task run crashed: it was lost with its worker 3 times (on gpu-1, gpu-2, gpu-3); the last"
                        + " time: device #0 failed: gone");
        assertThat(tries.get()).isEqualTo(3);
    }

    @Test
    void shouldCrashAtOnceACallWhoseWorkerGoesOn() {
        AtomicInteger tries = new AtomicInteger();
        Task0<String> task = Task.of("fault", () -> {
            tries.incrementAndGet();
            throw new WorkerFailedException("device #0 failed: CL_OUT_OF_RESOURCES", null);
        });

        AtomicReference<State<String>> ran = new AtomicReference<>();
        Flow.of("fault", new ConcurrentTaskRunner(), () -> ran.set(task.submit().await()))
                .callForState();
        State<String> state = ran.get();

        assertThat(state.type()).isEqualTo(StateType.CRASHED);
        assertThat(state.message()).isEqualTo("Task run crashed: device #0 failed: CL_OUT_OF_RESOURCES");
        assertThat(tries.get()).isEqualTo(1);
    }
}
