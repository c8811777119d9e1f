package dev.weft.examples.seed;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task2;
import dev.weft.TaskFuture;
import dev.weft.WeftClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Twin of "Task run concurrency limits", the page's database story: six queries, each tagged {@code
 * small_instance}, connect to a database that allows two connections, and a concurrency limit of 2 on the
 * tag keeps them from asking for more. The {@link ConcurrentTaskRunner} would start all six at once; two
 * take the tag's slots and run, the other four enter the state {@code Queued}, holding no thread, and start
 * one by one as slots come free. The database counts its connections and tells the most it had open at
 * once: never more than the limit.
 *
 * <p>The limit is set through the {@link WeftClient} when the example starts and deleted when it ends, as
 * Prefect's {@code OrionClient} or {@code prefect concurrency_limit create small_instance 2} would. Where
 * the limits live in a store shared with other processes, their runs with the tag share the two slots too.
 */
public final class TaskConcurrencyLimits {
    private TaskConcurrencyLimits() {}

    // snippet:task-concurrency-limits
    static final int CONNECTIONS = 2; // the database takes no more than 2 connections at once
    static final long QUERY_MS = 50; // how long it takes to answer

    static final Task2<Database, Integer, String> query = Task.of("query", (Database db, Integer row) -> {
                db.connect();
                try {
                    System.out.println("querying row " + row);
                    Thread.sleep(QUERY_MS);
                    return "row " + row;
                } finally {
                    db.disconnect();
                }
            })
            .withTags("small_instance"); // every run takes a slot on the tag's limit, or waits QUEUED for one

    static final Flow<Integer> report = Flow.of("report", new ConcurrentTaskRunner(), () -> {
        Database db = new Database();
        List<TaskFuture<String>> rows =
                IntStream.range(0, 6).mapToObj(row -> query.submit(db, row)).toList();
        TaskFuture.gather(rows).result();
        return db.mostConnections();
    });

    /**
     * Sets a limit of 2 on the 'small_instance' tag, runs the flow, and deletes the limit.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (WeftClient client = WeftClient.open()) {
            client.createConcurrencyLimit("small_instance", CONNECTIONS);
            try {
                int most = report.call();
                System.out.println("at most " + most + " queries were connected at once");
            } finally {
                client.deleteConcurrencyLimitByTag("small_instance");
            }
        }
    }
    // end-snippet:task-concurrency-limits

    /** Stands for the database: counts the connections open now, and the most that were open at once. */
    static final class Database {
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicInteger most = new AtomicInteger();

        /** Opens a connection. Safe from any thread. */
        void connect() {
            most.accumulateAndGet(open.incrementAndGet(), Math::max);
        }

        /** Closes a connection. Safe from any thread. */
        void disconnect() {
            open.decrementAndGet();
        }

        /** Returns the most connections that were open at once so far. */
        int mostConnections() {
            return most.get();
        }
    }
}
