package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.SeedLog;
import dev.weft.examples.testing.Transcript;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChoosingATaskRunnerTest {

    @Test
    void shouldStartTheRunnerEachFlowWasGivenWithItsSettings() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        String defaultCluster = cores + (cores == 1 ? " worker" : " workers") + " x 1 thread";

        SeedLog.assertMatches(
                Transcript.of(() -> ChoosingATaskRunner.main(new String[0])),
                """
                12:00:00.000 | Beginning flow run 'olivine-swan' for flow 'my-flow'...
                12:00:00.000 | Starting task runner `ForkJoinTaskRunner`...
                12:00:00.000 | Creating a local cluster of %s on a ForkJoinPool
                12:00:00.000 | Shutting down task runner `ForkJoinTaskRunner`...
                12:00:00.000 | Flow run 'olivine-swan' finished in state Completed(message='All states completed.', type=COMPLETED)
                12:00:00.000 | Beginning flow run 'discreet-peacock' for flow 'my-flow'...
                12:00:00.000 | Starting task runner `ForkJoinTaskRunner`...
                12:00:00.000 | Creating a local cluster of 2 workers x 2 threads on a ForkJoinPool
                12:00:00.000 | Shutting down task runner `ForkJoinTaskRunner`...
                12:00:00.000 | Flow run 'discreet-peacock' finished in state Completed(message='All states completed.', type=COMPLETED)
                """
                        .formatted(defaultCluster));
    }

    @Test
    void shouldGiveEveryFlowRunAFreshRunner() {
        // A runner is started once and shut down once, so a second run works only with a runner of its own.
        for (int run = 0; run < 3; run++) {
            assertThat(ChoosingATaskRunner.myFlow.callForState().isCompleted()).isTrue();
            assertThat(ChoosingATaskRunner.myConfiguredFlow.callForState().isCompleted())
                    .isTrue();
        }
    }
}
