package dev.weft.examples.parallel;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Resources on the {@link ConcurrentTaskRunner}: its one worker has two database connections, and each
 * query needs one, so at most two queries run at once. The others wait for a connection without holding
 * a thread, and start in submission order as connections come back: Prefect's task concurrency limits,
 * for one flow run.
 */
public final class ConnectionLimit {
    private ConnectionLimit() {}

    // snippet:connection-limit
    static final long QUERY_MS = 50; // how long the database takes to answer

    static final Task1<Integer, String> query = Task.of("query", (Integer row) -> {
                System.out.println("querying row " + row);
                Thread.sleep(QUERY_MS);
                return "row " + row;
            })
            .withResources(Map.of("db", 1)); // each call holds a connection while it runs

    static final Flow<List<String>> report = Flow.of("report", new ConcurrentTaskRunner(Map.of("db", 2)), () -> {
        List<TaskFuture<String>> rows =
                IntStream.range(0, 6).mapToObj(row -> query.submit(row)).toList();
        return TaskFuture.gather(rows).result();
    });
    // end-snippet:connection-limit

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        report.call();
    }
}
