package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.SeedLog;
import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ElevatorTest {

    @Test
    void shouldStopOnFloorsOneToNineInOrderWithSequentialRunner() throws Exception {
        StringBuilder expected = new StringBuilder(
                """
                12:00:00.000 | Beginning flow run 'olivine-swan' for flow 'elevator'...
                12:00:00.000 | Starting task runner `SequentialTaskRunner`...
                """);
        for (int i = 0; i < 9; i++) {
            expected.append("12:00:00.000 | Submitting task run 'stop_at_floor-a087a829-" + i + "' to task runner...\n")
                    .append("elevator stops on floor " + (i + 1) + "\n")
                    .append("12:00:00.000 | Task run 'stop_at_floor-a087a829-" + i
                            + "' finished in state Completed(message=null, type=COMPLETED)\n");
        }
        expected.append(
                """
                12:00:00.000 | Shutting down task runner `SequentialTaskRunner`...
                12:00:00.000 | Flow run 'olivine-swan' finished in state Completed(message='All states completed.', type=COMPLETED)
                """);

        SeedLog.assertMatches(Transcript.of(() -> SequentialElevator.main(new String[0])), expected.toString());
    }

    @Test
    void shouldStartEveryStopBeforeAnyStopEndsWithConcurrentRunner() throws Exception {
        // Each task is held in its body, right after "moving", until all ten are there. On a runner that
        // ran one task at a time the first would wait in vain, and the gate would give up.
        CountDownLatch allMoving = new CountDownLatch(10);
        Queue<String> gaveUp = new ConcurrentLinkedQueue<>();

        List<String> printed = Transcript.printed(Transcript.of(() -> ConcurrentElevator.main(new String[0]), line -> {
            if (line.startsWith("elevator moving to floor")) {
                allMoving.countDown();
                if (!allMoving.await(20, TimeUnit.SECONDS)) {
                    gaveUp.add(line);
                    while (allMoving.getCount() > 0) {
                        allMoving.countDown(); // let the rest through, so the test fails without waiting again
                    }
                }
            }
        }));

        assertThat(gaveUp)
                .as("tasks that waited in vain for the other nine to start")
                .isEmpty();
        assertThat(printed.subList(0, 10)).containsExactlyInAnyOrderElementsOf(floors("elevator moving to floor "));
        assertThat(printed.subList(10, printed.size()))
                .containsExactlyInAnyOrderElementsOf(floors("elevator stops on floor "));
    }

    private static List<String> floors(String prefix) {
        return IntStream.rangeClosed(1, 10).mapToObj(floor -> prefix + floor).toList();
    }
}
