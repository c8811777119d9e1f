package dev.weft.examples.reliability;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task1;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A time limit on a whole flow run. The flow exports five tables, one at a time (its runner's one worker
 * has one {@code process}, and each export needs it); the third table is far too big. The flow run may
 * take 300 ms: when they are up, the export that runs is interrupted, the two that wait for the worker
 * never start, and the flow run ends {@code Failed} with a {@link java.util.concurrent.TimeoutException}.
 * The two exports that had completed stay {@code Completed}. The example prints the flow run's final
 * state, calling the flow with {@link Flow#callForState()}, which returns it where {@link Flow#call()}
 * would throw.
 */
public final class FlowTimeout {
    private FlowTimeout() {}

    /** The tables to export, in order. */
    static final List<String> TABLES = List.of("users", "orders", "events", "invoices", "payments");

    /** The table too big to export in time. */
    static final String BIG_TABLE = "events";

    /** How long the big table's export takes, unless interrupted. */
    static final Duration BIG_EXPORT = Duration.ofMinutes(1);

    // snippet:flow-timeout
    static final Task1<String, String> export = Task.of("export", (String table) -> {
                System.out.println("exporting " + table + "...");
                if (table.equals(BIG_TABLE)) {
                    Thread.sleep(BIG_EXPORT); // far too long; interrupted when the flow run times out
                }
                return table + ".csv";
            })
            .withResources(Map.of("process", 1));

    static final Flow<Void> exports = Flow.of("exports", new ConcurrentTaskRunner(Map.of("process", 1)), () -> {
                for (String table : TABLES) {
                    export.submit(table);
                }
            })
            .withTimeout(Duration.ofMillis(300));

    /**
     * Runs the flow and prints its final state.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        State<Void> state = exports.callForState(); // call() would throw: the flow run fails
        System.out.println("exports: " + state);
    }
    // end-snippet:flow-timeout
}
