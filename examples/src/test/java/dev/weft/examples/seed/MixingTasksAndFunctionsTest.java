package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.SeedLog;
import dev.weft.examples.testing.Transcript;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MixingTasksAndFunctionsTest {

    @Test
    void shouldFeedThePlainMethodTheTaskResult() {
        assertThat(MixingTasksAndFunctions.helloWorld.call().result()).isEqualTo("HI MARVIN! Nice to meet you :)");
    }

    @Test
    void shouldFinishSayHelloBeforeSubmittingTheNextTask() throws Exception {
        SeedLog.assertMatches(
                Transcript.of(() -> MixingTasksAndFunctions.main(new String[0])),
                """
                12:00:00.000 | Beginning flow run 'olivine-swan' for flow 'hello-world'...
                12:00:00.000 | Starting task runner `ConcurrentTaskRunner`...
                12:00:00.000 | Submitting task run 'say_hello-a087a829-0' to task runner...
                12:00:00.000 | Task run 'say_hello-a087a829-0' finished in state Completed(message=null, type=COMPLETED)
                12:00:00.000 | Submitting task run 'say_nice_to_meet_you-e80d21db-0' to task runner...
                12:00:00.000 | Task run 'say_nice_to_meet_you-e80d21db-0' finished in state Completed(message=null, type=COMPLETED)
                12:00:00.000 | Shutting down task runner `ConcurrentTaskRunner`...
                12:00:00.000 | Flow run 'olivine-swan' finished in state Completed(message='All states completed.', type=COMPLETED)
                """);
    }
}
