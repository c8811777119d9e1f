package dev.weft.examples.many;

import dev.weft.Done;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task2;
import dev.weft.TaskFuture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Waiting on many runs. Three mirrors are asked for the same file at once; each answers after its own
 * latency, the nearest first. {@code
 * TaskFuture.asCompleted} hands over each run as it ends, so the flow indexes every answer as it comes,
 * and {@code TaskFuture.waitAll} then splits the runs into those done and those not done within a
 * timeout.
 */
public final class AsCompleted {
    private AsCompleted() {}

    /** Stands for three mirrors on the network: each answers after its own latency. */
    static final class Mirrors {
        static final Map<String, Duration> LATENCY =
                Map.of("eu", Duration.ofMillis(20), "us", Duration.ofMillis(80), "asia", Duration.ofMillis(160));

        /** Asks a mirror; the answer comes after the mirror's latency, without holding a thread. */
        CompletionStage<String> fetch(String mirror) {
            return CompletableFuture.supplyAsync(
                    () -> "data.csv from " + mirror,
                    CompletableFuture.delayedExecutor(LATENCY.get(mirror).toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    // snippet:as-completed
    static final Task2<String, Mirrors, String> fetch =
            Task.async("fetch", (String mirror, Mirrors mirrors) -> mirrors.fetch(mirror));

    static final Flow<Integer> fetchMirrors = Flow.of("fetch-mirrors", () -> {
        // a constant that is not a collection needs no unmapped(): every run gets the same Mirrors
        List<TaskFuture<String>> runs = fetch.map(List.of("asia", "us", "eu"), new Mirrors());
        for (TaskFuture<String> run : TaskFuture.asCompleted(runs, Duration.ofMinutes(1))) {
            System.out.println("got " + run.result()); // in the order the runs end
        }
        Done<String> done = TaskFuture.waitAll(runs, Duration.ofSeconds(10));
        System.out.println(done.done().size() + " done, " + done.notDone().size() + " not done");
        return done.done().size();
    });
    // end-snippet:as-completed

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        fetchMirrors.call();
    }
}
