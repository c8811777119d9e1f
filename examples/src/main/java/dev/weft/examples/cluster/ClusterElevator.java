package dev.weft.examples.cluster;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.remote.HazelcastTaskRunner;

/**
 * Twin of the concurrent elevator of "Using a task runner", on a cluster: the stops run in two worker JVMs
 * of five threads each, so all ten start at once, and while one sleeps the others run. All ten "moving"
 * lines come first; the stops follow as their sleeps end, shortest first, so the elevator stops on floors 1
 * to 10 in order. What the tasks print in the worker JVMs appears on this JVM's console.
 *
 * <p>The seed sleeps {@code floor} seconds; this twin sleeps {@code floor} fifths of a second, long enough
 * that the order of the stops does not depend on which worker runs which floor.
 */
public final class ClusterElevator {
    private ClusterElevator() {}

    // snippet:cluster-elevator
    static final long TRAVEL_MS_PER_FLOOR = 200; // Prefect's example waits a second a floor

    static final Task1<Integer, Void> stopAtFloor = Task.of("stop_at_floor", (Integer floor) -> {
        System.out.println("elevator moving to floor " + floor);
        Thread.sleep(floor * TRAVEL_MS_PER_FLOOR);
        System.out.println("elevator stops on floor " + floor);
    });

    // two worker JVMs of five threads each: all ten floors at once
    static final HazelcastTaskRunner cluster =
            HazelcastTaskRunner.builder().workers(2).threadsPerWorker(5).build();

    static final Flow<Void> elevator = Flow.of("elevator", cluster, () -> {
        for (int floor = 10; floor > 0; floor--) {
            stopAtFloor.submit(floor);
        }
    });
    // end-snippet:cluster-elevator

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        elevator.call();
    }
}
