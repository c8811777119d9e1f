package dev.weft.examples.seed;

import dev.weft.Flow;
import dev.weft.SequentialTaskRunner;
import dev.weft.Task;
import dev.weft.Task1;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Twin of "Running tasks sequentially": the flow {@code towering-infernflow} stops on floors 1 to 38, in
 * that order, because its {@link SequentialTaskRunner} runs one submitted task at a time.
 */
public final class GlassTower {
    private GlassTower() {}

    // snippet:glass-tower
    static final List<String> SITUATIONS = List.of("on fire", "clear");

    static final Task1<Integer, Void> stopAtFloor = Task.of("stop_at_floor", (Integer floor) -> {
        String situation = SITUATIONS.get(ThreadLocalRandom.current().nextInt(SITUATIONS.size()));
        System.out.println("elevator stops on " + floor + " which is " + situation);
    });

    static final Flow<Void> glassTower = Flow.of("towering-infernflow", new SequentialTaskRunner(), () -> {
        for (int floor = 1; floor < 39; floor++) {
            stopAtFloor.submit(floor);
        }
    });
    // end-snippet:glass-tower

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        glassTower.call();
    }
}
