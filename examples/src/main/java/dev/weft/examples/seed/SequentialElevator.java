package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.SequentialTaskRunner;
import dev.weft.Task;
import dev.weft.Task1;

/**
 * Twin of the sequential elevator of "Using a task runner": a {@link SequentialTaskRunner} runs the
 * submitted stops one after the other, in the order they were submitted, so the elevator stops on floors 1
 * to 9 in that order.
 */
public final class SequentialElevator {
    private SequentialElevator() {}

    // snippet:elevator
    static final Task1<Integer, Void> stopAtFloor =
            Task.of("stop_at_floor", (Integer floor) -> System.out.println("elevator stops on floor " + floor));

    static final Flow<Void> elevator = Flow.of("elevator", new SequentialTaskRunner(), () -> {
        for (int floor = 1; floor < 10; floor++) {
            stopAtFloor.submit(floor);
        }
    });
    // end-snippet:elevator

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        elevator.call();
    }
}
