package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.SeedLog;
import dev.weft.examples.testing.Transcript;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OnlyFunctionsTest {

    @Test
    void shouldComputeTheGreetingWithPlainMethods() {
        assertThat(OnlyFunctions.helloWorld.call()).isEqualTo("Hello Marvin! Nice to meet you :)");
    }

    @Test
    void shouldTrackNoTaskRunsForPlainMethods() throws Exception {
        SeedLog.assertMatches(
                Transcript.of(() -> OnlyFunctions.main(new String[0])),
                """
                12:00:00.000 | Beginning flow run 'olivine-swan' for flow 'hello-world'...
                12:00:00.000 | Starting task runner `ConcurrentTaskRunner`...
                12:00:00.000 | Shutting down task runner `ConcurrentTaskRunner`...
                12:00:00.000 | Flow run 'olivine-swan' finished in state Completed(message='All states completed.', type=COMPLETED)
                """);
    }
}
