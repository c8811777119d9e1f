package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HelloWorldTest {

    @Test
    void shouldPrintBothGreetingsAndTrackAllThreeRuns() throws Exception {
        List<String> transcript = Transcript.of(() -> HelloWorld.main(new String[0]));

        assertThat(Transcript.printed(transcript)).containsExactlyInAnyOrder("Hello Marvin!", "Hello Arthur!");
        assertThat(transcript)
                .anyMatch(
                        l -> l.matches(".* \\| Submitting task run 'say_hello-[0-9a-f]{8}-0' to task runner\\.\\.\\."))
                .anyMatch(l ->
                        l.matches(".* \\| Submitting task run 'print_result-[0-9a-f]{8}-0' to task runner\\.\\.\\."))
                .anyMatch(l -> l.matches(".* \\| Executing 'say_hello-[0-9a-f]{8}-1' immediately\\.\\.\\."))
                .last()
                .asString()
                .matches(
                        ".* \\| Flow run '[a-z]+-[a-z]+' finished in state Completed\\(message='All states completed\\.',"
                                + " type=COMPLETED\\)");
    }
}
