package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ConcurrencyLimit;
import dev.weft.Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tag limits across JVMs: flows in separate processes, each running tagged tasks through the engine,
 * against one SQLite file and against one PostgreSQL schema.
 */
@Tag("slow")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class FlowProcessesTest {
    @TempDir
    Path dir;

    private PostgresTestDatabase postgres;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(Process::destroyForcibly);
        if (postgres != null) {
            postgres.close();
        }
    }

    /** Where the processes' limits live: a JVM option naming the store, and settings for this JVM. */
    private record Store(String option, Settings settings) {}

    private Store store(String kind, Duration slotWait, Duration lease) {
        Settings settings = new Settings(dir.resolve("home"), Optional.empty(), Optional.of(slotWait), lease);
        if (kind.equals("sqlite")) {
            return new Store("-Dweft.home=" + settings.home(), settings);
        }
        postgres = PostgresTestDatabase.connectOrSkip();
        String url = postgres.newSchema();
        return new Store("-Dweft.database.url=" + url, settings.withDatabaseUrl(url));
    }

    private Process start(Store store, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED",
                store.option(),
                "-Dweft.slot.wait=" + store.settings().slotWait().orElseThrow().toMillis() + "ms",
                "-Dweft.slot.lease=" + store.settings().slotLease().toMillis() + "ms",
                FlowProcess.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    /** The lines a process prints, as they come. */
    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output lost: " + e + ")");
            }
        });
        return lines;
    }

    /** Waits for a line that starts with {@code prefix}; fails with everything the process printed. */
    private static String awaitLine(BlockingQueue<String> lines, String prefix, Duration timeout)
            throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (; ; ) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("No line starting with '" + prefix + "' within " + timeout
                        + "; the process printed:\n" + String.join("\n", seen));
            }
            seen.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * Property: three processes running tagged tasks against one store with a limit of 2 never run more
     * than 2 at once between them, as the tasks themselves record in a file under a lock, and every task
     * completes. On PostgreSQL, the slot wait is left at 30 s: a process learns of a slot freed elsewhere
     * through NOTIFY, so the whole batch ends long before a process would have retried.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void shouldNeverRunMoreThanTheLimitAcrossThreeProcesses(String kind) throws Exception {
        Duration slotWait = kind.equals("sqlite") ? Duration.ofMillis(100) : Settings.DEFAULT_SLOT_WAIT;
        Store store = store(kind, slotWait, Settings.DEFAULT_SLOT_LEASE);
        try (JdbcSlotStore limits = JdbcSlotStore.open(store.settings())) {
            limits.create("small_instance", 2);
        }
        Path gauge = dir.resolve("gauge");
        Path go = dir.resolve("go");
        int processes = 3;
        int tasks = 12;
        List<Process> workers = new ArrayList<>();
        List<BlockingQueue<String>> outputs = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            Process p =
                    start(store, "work", gauge.toString(), "small_instance", Integer.toString(tasks), go.toString());
            workers.add(p);
            outputs.add(lines(p));
        }
        long begin = System.nanoTime();
        Files.writeString(go, "go");
        for (int i = 0; i < processes; i++) {
            awaitLine(outputs.get(i), "done", Duration.ofSeconds(120));
            assertThat(workers.get(i).waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(workers.get(i).exitValue()).isZero();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);

        long[] g = FlowProcess.Gauge.read(gauge);
        assertThat(g[2]).as("tasks that ran").isEqualTo((long) processes * tasks);
        assertThat(g[1]).as("most tagged tasks running at once").isEqualTo(2);
        assertThat(g[0]).as("tasks running at the end").isZero();
        try (JdbcSlotStore limits = JdbcSlotStore.open(store.settings())) {
            assertThat(limits.read("small_instance").orElseThrow().activeSlots())
                    .isEmpty();
        }
        if (kind.equals("postgresql")) {
            assertThat(took).as("woken by NOTIFY, not by the slot wait").isLessThan(slotWait);
        }
    }

    /**
     * Property: the slots of a process killed with {@code kill -9} come free when their lease runs out, not
     * before: a run queued in another process starts no sooner than the lease less one renewal period
     * after the kill (the last renewal may have come just before it), and no later than a lease and a slot
     * wait after it, plus slack for a busy machine.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void shouldFreeTheSlotsOfAKilledProcessOnceTheirLeaseRunsOut(String kind) throws Exception {
        Duration lease = Duration.ofSeconds(3);
        Duration slotWait = Duration.ofMillis(200);
        Store store = store(kind, slotWait, lease);
        try (JdbcSlotStore limits = JdbcSlotStore.open(store.settings())) {
            limits.create("db", 1);
        }
        Process holder = start(store, "hold", "db");
        awaitLine(lines(holder), "holding", Duration.ofSeconds(60));
        List<UUID> held;
        try (JdbcSlotStore limits = JdbcSlotStore.open(store.settings())) {
            held = limits.read("db").orElseThrow().activeSlots();
        }
        assertThat(held).hasSize(1);

        Process waiter = start(store, "wait", "db");
        BlockingQueue<String> waiting = lines(waiter);
        awaitLine(waiting, "queued", Duration.ofSeconds(60));

        holder.destroyForcibly(); // SIGKILL: no shutdown hook, no release
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long killed = System.currentTimeMillis();
        ConcurrencyLimit rightAfter;
        try (JdbcSlotStore limits = JdbcSlotStore.open(store.settings())) {
            rightAfter = limits.read("db").orElseThrow();
        }

        long startedAt = Long.parseLong(
                awaitLine(waiting, "started ", Duration.ofSeconds(60)).substring("started ".length()));
        long after = startedAt - killed;
        long renewal = lease.toMillis() / 3;
        assertThat(rightAfter.activeSlots())
                .as("the dead process's slot is still taken just after the kill")
                .isEqualTo(held);
        assertThat(after)
                .as("ms from the kill until the queued run started")
                .isGreaterThanOrEqualTo(lease.toMillis() - renewal - 250)
                .isLessThan(lease.toMillis() + slotWait.toMillis() + 10_000);
        assertThat(waiter.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(waiter.exitValue()).isZero();
    }
}
