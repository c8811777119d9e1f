package dev.weft.jmh;

import dev.weft.Settings;
import dev.weft.spi.Admission;
import dev.weft.spi.SlotStore;
import dev.weft.store.JdbcSlotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a slot costs in a shared store: one operation takes a slot on a tag with a limit of 4 and gives it
 * back, each a transaction of the store module's {@link JdbcSlotStore}, as a tagged run does before it
 * starts and once it ends. Scores are acquire-and-release pairs per second, from one thread.
 *
 * <p>The {@code store} rows: {@code sqlite}, a fresh SQLite file in a temporary home (WAL, {@code
 * synchronous=NORMAL}); {@code postgresql}, a fresh schema on the server that {@code
 * WEFT_BENCH_POSTGRES_URL} names, by default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}.
 *
 * <pre>{@code
 * jmh/bench SlotThroughput
 * jmh/bench SlotThroughput -p store=sqlite
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SlotThroughput {
    private static final String TAG = "bench";
    private static final List<String> TAGS = List.of(TAG);
    private static final Duration LEASE = Duration.ofSeconds(30);

    /** The row: {@code sqlite} or {@code postgresql}. */
    @Param({"sqlite", "postgresql"})
    public String store;

    private SlotStore slots;
    private Path home;
    private String serverUrl;
    private String schema;

    /** Opens a fresh store and sets the limit. */
    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        home = Files.createTempDirectory("weft-bench");
        Settings settings = new Settings(home, Optional.empty(), Optional.of(Duration.ofSeconds(30)), LEASE);
        switch (store) {
            case "sqlite" -> {}
            case "postgresql" -> {
                String configured = System.getenv("WEFT_BENCH_POSTGRES_URL");
                serverUrl = configured != null && !configured.isBlank()
                        ? configured
                        : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
                schema = "weft_bench_" + Long.toHexString(System.nanoTime());
                execute("CREATE SCHEMA " + schema);
                settings = settings.withDatabaseUrl(
                        serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            }
            default -> throw new IllegalArgumentException("'" + store + "' is not a store; known: sqlite, postgresql");
        }
        slots = JdbcSlotStore.open(settings);
        slots.create(TAG, 4);
    }

    /** Closes the store and drops what it made. */
    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        slots.close();
        if (schema != null) {
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(serverUrl);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Takes a slot and gives it back.
     *
     * @return the admission, checked
     */
    @Benchmark
    public Admission acquireAndRelease() {
        UUID run = UUID.randomUUID();
        Admission answer = slots.acquire("bench", run, "run", TAGS, LEASE);
        if (answer.outcome() != Admission.Outcome.GRANTED) {
            throw new IllegalStateException("no slot: " + answer);
        }
        slots.release(run);
        return answer;
    }
}
