package dev.weft.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.contract.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A temporary cluster that grows while calls wait for a thread, and shrinks back once its workers idle. */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
final class AdaptiveClusterTest {
    static final Task1<Integer, Integer> NAP = Task.of("nap", (Integer x) -> {
        Thread.sleep(100);
        return x;
    });

    @Test
    void shouldGrowToTheMaximumForABurstAndShrinkBackToTheMinimum() {
        List<Long> sizes = new ArrayList<>();
        List<String> lines;
        int done;
        try (LogCapture logs = LogCapture.start()) {
            done = Flow.of("burst", () -> {
                        List<TaskFuture<Integer>> fs = new ArrayList<>();
                        for (int i = 0; i < 200; i++) {
                            fs.add(NAP.submit(i));
                        }
                        for (TaskFuture<Integer> f : fs) {
                            f.result();
                            sizes.add(ProcessHandle.current().children().count());
                        }
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (ProcessHandle.current().children().count() > 1 && System.nanoTime() < deadline) {
                            Thread.sleep(100);
                        }
                        sizes.add(ProcessHandle.current().children().count());
                        return fs.size();
                    })
                    .withTaskRunner(HazelcastTaskRunner.builder()
                            .adapt(1, 3)
                            .threadsPerWorker(2)
                            .idleTimeout(Duration.ofSeconds(1))
                            .build())
                    .call();
            lines = logs.lines();
        }
        assertThat(done).isEqualTo(200);
        assertThat(sizes)
                .as("worker JVMs seen while the calls ended")
                .contains(3L)
                .doesNotContain(4L);
        assertThat(sizes.getLast()).as("worker JVMs once idle").isEqualTo(1L);
        List<String> added = lines.stream().filter(l -> l.startsWith("Adding ")).toList();
        assertThat(added).as("workers added, in one step or two").isNotEmpty().allSatisfy(l -> assertThat(l)
                .matches("Adding \\d workers? \\(worker-\\d(, worker-\\d)?\\): \\d+ calls?"
                        + " waits? for a thread; \\d workers? \\(at most 3\\)"));
        assertThat(added.getLast()).endsWith("; 3 workers (at most 3)");
        assertThat(lines.stream().filter(l -> l.startsWith("Removing worker 'worker-")))
                .hasSize(2)
                .allSatisfy(l -> assertThat(l).contains(": idle for 1 s; "))
                .last()
                .asString()
                .endsWith("1 worker remains (at least 1)");
        assertThat(ProcessHandle.current().children()).isEmpty();
    }
}
