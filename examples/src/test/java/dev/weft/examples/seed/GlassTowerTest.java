package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GlassTowerTest {
    private static final Pattern STOP = Pattern.compile("elevator stops on (\\d+) which is (on fire|clear)");

    @Test
    void shouldStopOnFloorsOneToThirtyEightInOrder() throws Exception {
        List<String> transcript = Transcript.of(() -> GlassTower.main(new String[0]));

        List<Integer> floors = Transcript.printed(transcript).stream()
                .map(line -> {
                    Matcher m = STOP.matcher(line);
                    assertThat(m.matches()).as("a stop: %s", line).isTrue();
                    return Integer.parseInt(m.group(1));
                })
                .toList();
        assertThat(floors).isEqualTo(IntStream.range(1, 39).boxed().toList());
        assertThat(Transcript.logged(transcript))
                .first()
                .asString()
                .matches("Beginning flow run '[a-z]+-[a-z]+' for flow 'towering-infernflow'\\.\\.\\.");
        assertThat(Transcript.logged(transcript)).contains("Starting task runner `SequentialTaskRunner`...");
    }
}
