package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OnlyTasksTest {

    @Test
    void shouldPassTheGreetingFromTaskToTaskThroughFutures() {
        assertThat(OnlyTasks.helloWorld.call().result()).isEqualTo("Hello Marvin! Nice to meet you :)");
    }

    @Test
    void shouldTrackBothTaskRuns() throws Exception {
        List<String> logged = Transcript.logged(Transcript.of(() -> OnlyTasks.main(new String[0])));

        assertThat(logged)
                .filteredOn(line -> line.startsWith("Task run"))
                .hasSize(2)
                .anyMatch(line -> line.startsWith("Task run 'say_hello-"))
                .anyMatch(line -> line.startsWith("Task run 'say_nice_to_meet_you-"))
                .allMatch(line -> line.endsWith("finished in state Completed(message=null, type=COMPLETED)"));
    }
}
