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
    void shouldStartTheRunnerEachFlowWasGiven() throws Exception {
        SeedLog.assertMatches(
                Transcript.of(() -> ChoosingATaskRunner.main(new String[0])),
                """
                12:00:00.000 | Beginning flow run 'olivine-swan' for flow 'my-flow'...
                12:00:00.000 | Starting task runner `ConcurrentTaskRunner`...
                12:00:00.000 | Shutting down task runner `ConcurrentTaskRunner`...
                12:00:00.000 | Flow run 'olivine-swan' finished in state Completed(message='All states completed.', type=COMPLETED)
                12:00:00.000 | Beginning flow run 'discreet-peacock' for flow 'my-sequential-flow'...
                12:00:00.000 | Starting task runner `SequentialTaskRunner`...
                12:00:00.000 | Shutting down task runner `SequentialTaskRunner`...
                12:00:00.000 | Flow run 'discreet-peacock' finished in state Completed(message='All states completed.', type=COMPLETED)
                """);
    }

    @Test
    void shouldGiveEveryFlowRunAFreshRunner() {
        // A runner is started once and shut down once, so a second run works only with a runner of its own.
        for (int run = 0; run < 3; run++) {
            assertThat(ChoosingATaskRunner.myFlow.callForState().isCompleted()).isTrue();
            assertThat(ChoosingATaskRunner.mySequentialFlow.callForState().isCompleted())
                    .isTrue();
        }
    }
}
