package dev.weft.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterAdaptiveTest {

    @Test
    void shouldGrowToThreeWorkersForTheBurstAndShrinkBackToOne() throws Exception {
        List<String> transcript = Transcript.of(() -> ClusterAdaptive.main(new String[0]));
        List<String> logged = Transcript.logged(transcript);

        assertThat(Transcript.printed(transcript))
                .singleElement()
                .asString()
                .matches("40 naps done, in [123] worker JVMs?");
        assertThat(logged)
                .anyMatch(
                        line -> line.matches("Created temporary cluster 'weft-[0-9a-f]{8}' on 127\\.0\\.0\\.1, adapting"
                                + " between 1 and 3 workers: 1 worker x 2 threads"))
                .anyMatch(line ->
                        line.matches("Adding \\d workers? \\(worker-[12](, worker-2)?\\): \\d+ calls? waits? for a"
                                + " thread; 3 workers \\(at most 3\\)")); // in one step, or the last of two
        assertThat(logged.stream().filter(line -> line.startsWith("Removing worker ")))
                .hasSize(2)
                .allMatch(line -> line.matches("Removing worker 'worker-[012]': idle for 1 s; .* \\(at least 1\\)"))
                .last()
                .asString()
                .endsWith("; 1 worker remains (at least 1)");
        assertThat(ProcessHandle.current().children()).isEmpty();
    }
}
