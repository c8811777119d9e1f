package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.examples.testing.Blocking;
import dev.weft.examples.testing.Transcript;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AnnotatePriorityTest {

    @Test
    void shouldStartTheHighPriorityCallFirstWhenTheWorkerIsBusy() throws Exception {
        // The cluster's one thread is held by a call submitted first, so both calls of the example wait;
        // once it is released, they start one at a time, highest priority first.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Task0<Boolean> hold = Task.of("hold", () -> {
            holding.countDown();
            return Blocking.await(release);
        });
        Flow<Boolean> busyCluster = Flow.of(
                "busy-cluster",
                ForkJoinTaskRunner.builder().workers(1).threadsPerWorker(1).build(),
                () -> {
                    var held = hold.submit();
                    if (!holding.await(Blocking.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                        throw new AssertionError("the call that holds the cluster never started");
                    }
                    AnnotatePriority.submitShows(); // show(1) at priority -10, then show(2) at priority 10
                    release.countDown();
                    return held.result();
                });

        List<String> printed = Transcript.printed(Transcript.of(busyCluster::call));

        assertThat(printed).containsExactly("2", "1");
    }

    @Test
    void shouldRunBothCallsOnALocalClusterOfAWorkerPerCore() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();

        List<String> transcript = Transcript.of(() -> AnnotatePriority.main(new String[0]));

        assertThat(Transcript.printed(transcript)).containsExactlyInAnyOrder("1", "2");
        assertThat(Transcript.logged(transcript))
                .contains("Creating a local cluster of " + cores + (cores == 1 ? " worker" : " workers")
                        + " x 1 thread on a ForkJoinPool")
                .anyMatch(line -> line.matches("Flow run '[a-z]+-[a-z]+' finished in state Completed\\(.*"));
    }
}
