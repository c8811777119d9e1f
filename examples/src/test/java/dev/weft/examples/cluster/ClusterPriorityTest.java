package dev.weft.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.TaskFuture;
import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterPriorityTest {
    /** Holds the cluster's one thread for a second. */
    static final Task0<Boolean> hold = Task.of("hold", () -> {
        Thread.sleep(1000);
        return true;
    });

    @Test
    void shouldStartTheHighPriorityCallFirstWhenTheWorkersThreadIsBusy() throws Exception {
        // The call submitted first holds the worker's one thread until its value is back in this process;
        // the example's two calls are submitted meanwhile, so both wait, and start highest priority first.
        Flow<Boolean> busyCluster = Flow.of("busy-cluster", ClusterPriority.cluster, () -> {
            TaskFuture<Boolean> held = hold.submit();
            State<Boolean> state = held.state();
            while (!state.isRunning() && !state.isFinal()) {
                Thread.sleep(5);
                state = held.state();
            }
            ClusterPriority.submitShows(); // show(1) at priority -10, then show(2) at priority 10
            return held.result();
        });

        List<String> printed = Transcript.printed(Transcript.of(busyCluster::call));

        assertThat(printed).containsExactly("2", "1");
    }

    @Test
    void shouldRunBothCallsOnAClusterOfOneWorkerJvmWithOneThread() throws Exception {
        List<String> transcript = Transcript.of(() -> ClusterPriority.main(new String[0]));

        assertThat(Transcript.printed(transcript)).containsExactlyInAnyOrder("1", "2");
        assertThat(Transcript.logged(transcript))
                .anyMatch(line -> line.matches(
                        "Created temporary cluster 'weft-[0-9a-f]{8}' on 127\\.0\\.0\\.1: 1 worker x 1 thread"))
                .anyMatch(line -> line.matches("Flow run '[a-z]+-[a-z]+' finished in state Completed\\(.*"));
    }
}
