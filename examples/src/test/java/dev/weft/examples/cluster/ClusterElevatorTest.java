package dev.weft.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task2;
import dev.weft.TaskFuture;
import dev.weft.examples.testing.Transcript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterElevatorTest {
    /** How long a call waits for the others to be in their bodies too; far longer than a correct run needs. */
    static final long PATIENCE_MS = 60_000;

    /**
     * A barrier across worker JVMs: the call leaves a file named for its floor in {@code dir}, then waits
     * until there is one for every floor, and returns how many it saw.
     */
    static final Task2<String, Integer, Long> allAboard = Task.of("all_aboard", (String dir, Integer floor) -> {
        Files.createFile(Path.of(dir, "floor-" + floor));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
        long seen;
        while ((seen = count(Path.of(dir))) < 10 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return seen;
    });

    static long count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void shouldRunAllTenFloorsAtOnceOnTwoWorkerJvmsOfFiveThreads(@TempDir Path dir) {
        // Each call stays in its body until all ten are in theirs: a runner that ran fewer at once would
        // keep the first ones waiting in vain.
        Flow<List<Long>> tenAtOnce = Flow.of("ten-at-once", ClusterElevator.cluster, () -> {
            List<TaskFuture<Long>> calls = IntStream.rangeClosed(1, 10)
                    .mapToObj(floor -> allAboard.submit(dir.toString(), floor))
                    .toList();
            return TaskFuture.gather(calls).result();
        });

        List<Long> seen = tenAtOnce.call();

        assertThat(seen)
                .as("floors each call saw in their bodies at once")
                .hasSize(10)
                .containsOnly(10L);
    }

    @Test
    void shouldMoveToEveryFloorAndStopOnEachAfterMovingToIt() throws Exception {
        List<String> transcript = Transcript.of(() -> ClusterElevator.main(new String[0]));
        List<String> printed = Transcript.printed(transcript);

        assertThat(printed)
                .containsExactlyInAnyOrderElementsOf(
                        Stream.concat(floors("elevator moving to floor "), floors("elevator stops on floor "))
                                .toList());
        for (int floor = 1; floor <= 10; floor++) {
            assertThat(printed.indexOf("elevator moving to floor " + floor))
                    .as("floor %d: moving before stopping", floor)
                    .isLessThan(printed.indexOf("elevator stops on floor " + floor));
        }
        assertThat(Transcript.logged(transcript))
                .anyMatch(line -> line.matches(
                        "Created temporary cluster 'weft-[0-9a-f]{8}' on 127\\.0\\.0\\.1: 2 workers x 5 threads"));
        assertThat(ProcessHandle.current().children()).isEmpty();
    }

    private static Stream<String> floors(String prefix) {
        return IntStream.rangeClosed(1, 10).mapToObj(floor -> prefix + floor);
    }
}
