package dev.weft.examples.seed;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;

/**
 * Twin of the concurrent elevator of "Using a task runner": a {@link ConcurrentTaskRunner} starts every
 * submitted stop at once, so while one task sleeps the others run. All ten "moving" lines come first;
 * the stops follow as their sleeps end, shortest first.
 *
 * <p>The seed sleeps {@code floor} seconds; this twin sleeps {@code floor} tenths of a second, so that it
 * keeps the seed's shape and finishes in a second.
 */
public final class ConcurrentElevator {
    private ConcurrentElevator() {}

    // snippet:concurrent-elevator
    static final long TRAVEL_MS_PER_FLOOR = 100; // Prefect's example waits a second a floor

    static final Task1<Integer, Void> stopAtFloor = Task.of("stop_at_floor", (Integer floor) -> {
        System.out.println("elevator moving to floor " + floor);
        Thread.sleep(floor * TRAVEL_MS_PER_FLOOR);
        System.out.println("elevator stops on floor " + floor);
    });

    static final Flow<Void> elevator = Flow.of("elevator", new ConcurrentTaskRunner(), () -> {
        for (int floor = 10; floor > 0; floor--) {
            stopAtFloor.submit(floor);
        }
    });
    // end-snippet:concurrent-elevator

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        elevator.call();
    }
}
