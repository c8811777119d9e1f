package dev.weft.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.TaskFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a runner that runs calls side by side must do besides the {@link TaskRunnerContract}: calls wait
 * for resources without holding threads, and calls that need nothing run beside them.
 */
public abstract class ParallelRunnerContract extends TaskRunnerContract {

    /** For subclasses. */
    protected ParallelRunnerContract() {}

    @Test
    public void shouldRunCallsNeedingNothingBesideCallsWaitingForAResource() {
        CompletableFuture<String> gate = new CompletableFuture<>();
        Task0<String> needsProcess = Task.of("needs_process", () -> "ran").withResources(Map.of("process", 1));
        Task0<String> needsNothing = Task.of("needs_nothing", () -> "free");
        Task0<String> needsGpu = Task.of("needs_gpu", () -> "gpu").withResources(Map.of("GPU", 1));
        Flow.of("beside", runner(Map.of("GPU", 1, "process", 1)), () -> {
                    TaskFuture<String> holder = holdsProcess(gate).submit();
                    List<TaskFuture<String>> waiting = new ArrayList<>();
                    try {
                        awaitRunning(holder);
                        for (int i = 0; i < 50; i++) {
                            waiting.add(needsProcess.submit());
                        }
                        // Fifty calls wait for the process, holding no thread: free calls still run.
                        assertThat(needsNothing.submit().result()).isEqualTo("free");
                        assertThat(needsGpu.submit().result()).isEqualTo("gpu");
                        assertThat(waiting).allMatch(f -> f.state().type() == StateType.PENDING);
                    } finally {
                        gate.complete("open");
                    }
                    assertThat(TaskFuture.gather(waiting).result()).hasSize(50).containsOnly("ran");
                })
                .call();
    }
}
