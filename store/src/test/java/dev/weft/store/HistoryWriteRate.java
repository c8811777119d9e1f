package dev.weft.store;

import dev.weft.Settings;
import dev.weft.StateType;
import dev.weft.spi.RunRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How many task records a second {@link JdbcRunHistory#append} (or {@link JdbcRunHistory#write}) puts into
 * a SQLite file, in batches of 4096 as the engine's history writer sends them: a measurement to run by hand, not a test (timing belongs
 * outside unit tests). Run it from the repository root after {@code ./mvnw -pl store test-compile}:
 *
 * <pre>{@code
 * java -cp "store/target/test-classes:store/target/classes:$(cat store/target/cp.txt)" \
 *     dev.weft.store.HistoryWriteRate [append|write [RECORDS [ROUNDS [DIR]]]]
 * }</pre>
 *
 * <p>where {@code store/target/cp.txt} comes from {@code ./mvnw -pl store dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt}. {@code append} (the default) packs the task runs many to a row, as
 * the engine's task runs are written; {@code write} writes a row for each. Each round writes one flow run (its first record) and {@code RECORDS}
 * task runs of it (default 200,000) into the same file, which grows; the records are built before the clock starts. After a warm-up
 * round, {@code ROUNDS} rounds (default 10); it prints the best and the median rate, by the wall clock and
 * by the writer thread's CPU time, which a busy machine disturbs less.
 */
final class HistoryWriteRate {
    private static final int BATCH = 4096;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private HistoryWriteRate() {}

    /**
     * Measures and prints the rate.
     *
     * @param args the number of records, and the directory for the home (a temporary one by default)
     * @throws Exception if the directory cannot be made
     */
    public static void main(String[] args) throws Exception {
        boolean append = args.length == 0 || !args[0].equals("write");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path home = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("weft-history-rate");
        Settings settings = new Settings(home, Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE);
        List<Double> rates = new ArrayList<>();
        List<Double> cpuRates = new ArrayList<>();
        try (JdbcRunHistory history = JdbcRunHistory.open(settings)) {
            for (int round = 0; round <= rounds; round++) {
                List<List<RunRecord>> batches = batches(n);
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                for (List<RunRecord> batch : batches) {
                    if (append) {
                        history.append(batch);
                    } else {
                        history.write(batch);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
                System.out.printf(
                        "%s: %,d task records in %.3f s, %,.0f records/s; %,.0f per second of the writer's CPU%n",
                        round == 0 ? "warm-up" : "round " + round, n, seconds, n / seconds, n / cpuSeconds);
                if (round > 0) {
                    rates.add(n / seconds);
                    cpuRates.add(n / cpuSeconds);
                }
            }
            Collections.sort(rates);
            Collections.sort(cpuRates);
            System.out.printf(
                    "%s, %s, %d rounds of %,d task records in batches of %d: best %,.0f records/s, median %,.0f;"
                            + " per second of the writer's CPU: best %,.0f, median %,.0f%n",
                    history.describe(),
                    append ? "appended" : "written",
                    rounds,
                    n,
                    BATCH,
                    rates.get(rates.size() - 1),
                    rates.get(rates.size() / 2),
                    cpuRates.get(cpuRates.size() - 1),
                    cpuRates.get(cpuRates.size() / 2));
        }
    }

    private static List<List<RunRecord>> batches(int n) {
        String flowRunId = UUID.randomUUID().toString();
        Instant t0 = Instant.now();
        List<List<RunRecord>> batches = new ArrayList<>();
        List<RunRecord> batch = new ArrayList<>(BATCH);
        // as the engine writes it: the flow run as it begins, then its task runs as they end
        batch.add(new RunRecord(
                RunRecord.Kind.FLOW,
                flowRunId,
                null,
                "rate-" + flowRunId.substring(0, 8),
                "rate",
                StateType.RUNNING,
                null,
                t0,
                null,
                "ConcurrentTaskRunner",
                null,
                List.of(),
                "1@localhost"));
        for (int i = 0; i < n; i++) {
            Instant started = t0.plusNanos(i * 1_000L);
            batch.add(new RunRecord(
                    RunRecord.Kind.TASK,
                    flowRunId,
                    null,
                    "square-1a2b3c4d-" + i,
                    "square",
                    StateType.COMPLETED,
                    null,
                    started,
                    started.plusNanos(250_000),
                    "ConcurrentTaskRunner",
                    "weft-worker-" + (i & 7),
                    List.of(),
                    null));
            if (batch.size() == BATCH) {
                batches.add(batch);
                batch = new ArrayList<>(BATCH);
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }
}
