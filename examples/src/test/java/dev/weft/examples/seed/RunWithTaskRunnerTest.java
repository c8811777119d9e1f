package dev.weft.examples.seed;

import dev.weft.examples.testing.SeedLog;
import dev.weft.examples.testing.Transcript;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunWithTaskRunnerTest {

    @Test
    void shouldRunSubmittedTaskOnDefaultConcurrentRunner() throws Exception {
        SeedLog.assertMatches(
                Transcript.of(() -> RunWithTaskRunner.main(new String[0])),
                """
                12:00:00.000 | Beginning flow run 'olivine-swan' for flow 'run-with-task-runner'...
                12:00:00.000 | Starting task runner `ConcurrentTaskRunner`...
                12:00:00.000 | Submitting task run 'task-a087a829-0' to task runner...
                I'm running in a task runner!
                12:00:00.000 | Task run 'task-a087a829-0' finished in state Completed(message=null, type=COMPLETED)
                12:00:00.000 | Shutting down task runner `ConcurrentTaskRunner`...
                12:00:00.000 | Flow run 'olivine-swan' finished in state Completed(message='All states completed.', type=COMPLETED)
                """);
    }
}
