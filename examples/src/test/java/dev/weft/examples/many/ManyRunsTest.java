package dev.weft.examples.many;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManyRunsTest {

    @Test
    void shouldRenderEveryScenePairedWithItsFramesAndEveryFormatInTheOrderOfTheScenes() throws Exception {
        List<String> transcript = Transcript.of(() -> MapScenes.main(new String[0]));

        assertThat(Transcript.printed(transcript))
                .containsExactly(
                        "intro.scene: 240 frames as png, exr",
                        "chase.scene: 1200 frames as png, exr",
                        "credits.scene: 90 frames as png, exr");
        assertThat(Transcript.logged(transcript))
                .filteredOn(line -> line.startsWith("Submitting task run 'render-"))
                .hasSize(3);
    }

    @Test
    void shouldTakeTheAnswersInTheOrderTheRunsEnd() throws Exception {
        List<String> transcript = Transcript.of(() -> AsCompleted.main(new String[0]));

        assertThat(Transcript.printed(transcript))
                .containsExactly(
                        "got data.csv from eu", "got data.csv from us", "got data.csv from asia", "3 done, 0 not done");
    }
}
