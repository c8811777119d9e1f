package dev.weft.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterAddressTest {

    @Test
    void shouldRunTheFlowOnTheWorkersItJoinedByAddressAndThenCloseThem() throws Exception {
        List<String> transcript = Transcript.of(() -> ClusterAddress.main(new String[0]));

        assertThat(Transcript.printed(transcript)).containsExactly("1 + 4 + ... + 100 = 385");
        assertThat(Transcript.logged(transcript))
                .anyMatch(line ->
                        line.matches("Started Weft worker 'w0' at 127\\.0\\.0\\.1:\\d+ in cluster 'weft', 2 threads"))
                .anyMatch(line ->
                        line.matches("Started Weft worker 'w1' at 127\\.0\\.0\\.1:\\d+ in cluster 'weft', 2 threads"))
                .anyMatch(line ->
                        line.matches("Joined cluster 'weft' at 127\\.0\\.0\\.1:\\d+: [12] workers? x 2 threads"))
                .anyMatch(line -> line.matches("Flow run '[a-z]+-[a-z]+' finished in state Completed\\(.*"));
        assertThat(Hazelcast.getAllHazelcastInstances())
                .as("workers left running")
                .isEmpty();
        assertThat(ProcessHandle.current().children())
                .as("worker JVMs: there are none")
                .isEmpty();
    }
}
