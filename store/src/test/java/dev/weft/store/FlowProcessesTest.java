package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ConcurrencyLimit;
import dev.weft.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
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
        return store(kind, Optional.of(slotWait), lease);
    }

    /** A store whose slot wait the processes leave to the store's default unless {@code slotWait} says. */
    private Store store(String kind, Optional<Duration> slotWait, Duration lease) {
        Settings settings = new Settings(dir.resolve("home"), Optional.empty(), slotWait, lease);
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
                "-Dweft.slot.lease=" + store.settings().slotLease().toMillis() + "ms"));
        store.settings().slotWait().ifPresent(wait -> command.add("-Dweft.slot.wait=" + wait.toMillis() + "ms"));
        command.add(FlowProcess.class.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        return p;
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
            outputs.add(ProcessLines.lines(p));
        }
        long begin = System.nanoTime();
        Files.writeString(go, "go");
        for (int i = 0; i < processes; i++) {
            ProcessLines.awaitLine(outputs.get(i), "done", Duration.ofSeconds(120));
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
        ProcessLines.awaitLine(ProcessLines.lines(holder), "holding", Duration.ofSeconds(60));
        List<UUID> held;
        try (JdbcSlotStore limits = JdbcSlotStore.open(store.settings())) {
            held = limits.read("db").orElseThrow().activeSlots();
        }
        assertThat(held).hasSize(1);

        Process waiter = start(store, "wait", "db");
        BlockingQueue<String> waiting = ProcessLines.lines(waiter);
        ProcessLines.awaitLine(waiting, "queued", Duration.ofSeconds(60));

        holder.destroyForcibly(); // SIGKILL: no shutdown hook, no release
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long killed = System.currentTimeMillis();
        ConcurrencyLimit rightAfter;
        try (JdbcSlotStore limits = JdbcSlotStore.open(store.settings())) {
            rightAfter = limits.read("db").orElseThrow();
        }

        long startedAt = Long.parseLong(ProcessLines.awaitLine(waiting, "started ", Duration.ofSeconds(60))
                .substring("started ".length()));
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

    // ---- sharing slots fairly and keeping them busy ------------------------------------------------------

    /** When a task ran, in microseconds of the wall clock, which the processes of one machine share. */
    private record Ran(long start, long end) {}

    private static List<Ran> ran(Path records) throws IOException {
        return Files.readAllLines(records).stream()
                .map(line -> line.split(" "))
                .map(f -> new Ran(Long.parseLong(f[0]), Long.parseLong(f[1])))
                .toList();
    }

    /** The most runs running at once; a run that ends at the very moment another starts counts once. */
    private static int mostAtOnce(List<Ran> runs) {
        List<long[]> events = new ArrayList<>(); // {time, +1 or -1}
        runs.forEach(r -> {
            events.add(new long[] {r.start, 1});
            events.add(new long[] {r.end, -1});
        });
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int now = 0;
        int most = 0;
        for (long[] e : events) {
            now += (int) e[1];
            most = Math.max(most, now);
        }
        return most;
    }

    /** How long, within [from, to), fewer than {@code slots} runs ran, in microseconds. */
    private static long idleMicros(List<Ran> runs, int slots, long from, long to) {
        List<long[]> events = new ArrayList<>();
        runs.forEach(r -> {
            events.add(new long[] {r.start, 1});
            events.add(new long[] {r.end, -1});
        });
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        long idle = 0;
        long at = from;
        int now = 0;
        for (long[] e : events) {
            long t = Math.min(Math.max(e[0], from), to);
            if (now < slots) {
                idle += t - at;
            }
            at = t;
            now += (int) e[1];
        }
        if (now < slots) {
            idle += to - at;
        }
        return idle;
    }

    /**
     * Property: a slot freed in one process is winnable by a run that another process queued first. Process A
     * queues 40 runs on a tag with a limit of 1; then process B queues one; then A queues 40 more. B's run
     * starts after A's first 40 and before A's later ones (before A's queue drains), and within one slot
     * wait of the release before it: B hears of it (SQLite's changed file, PostgreSQL's NOTIFY) rather than
     * waiting for its next retry. The slot wait is the store's default: 1 s on SQLite, 30 s on PostgreSQL.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void shouldGiveAFreedSlotToTheRunAnotherProcessQueuedFirst(String kind) throws Exception {
        Store store = store(kind, Optional.empty(), Settings.DEFAULT_SLOT_LEASE);
        try (JdbcSlotStore limits = JdbcSlotStore.open(store.settings())) {
            limits.create("fair", 1);
        }
        long holdMs = 50;
        Path goA = dir.resolve("go-a");
        Path goB = dir.resolve("go-b");
        Path moreA = dir.resolve("more-a");
        Path ranA = dir.resolve("ran-a");
        Path ranB = dir.resolve("ran-b");
        Process a = start(
                store, "record", goA.toString(), "fair", "40", "" + holdMs, ranA.toString(), moreA.toString(), "40");
        Process b = start(store, "record", goB.toString(), "fair", "1", "" + holdMs, ranB.toString());
        BlockingQueue<String> outA = ProcessLines.lines(a);
        BlockingQueue<String> outB = ProcessLines.lines(b);

        Files.writeString(goA, "go");
        ProcessLines.awaitLine(outA, "queued", Duration.ofSeconds(60));
        Files.writeString(goB, "go");
        ProcessLines.awaitLine(outB, "queued", Duration.ofSeconds(60));
        Files.writeString(moreA, "go");
        ProcessLines.awaitLine(outA, "done", Duration.ofSeconds(90));
        ProcessLines.awaitLine(outB, "done", Duration.ofSeconds(90));
        assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<Ran> runsOfA = ran(ranA);
        Ran runOfB = ran(ranB).getFirst();
        long startedAfterB =
                runsOfA.stream().filter(r -> r.start > runOfB.start).count();
        long releaseBefore = runsOfA.stream()
                .mapToLong(Ran::end)
                .filter(end -> end <= runOfB.start)
                .max()
                .orElseThrow();
        Duration latency = Duration.ofNanos((runOfB.start - releaseBefore) * 1000);
        System.out.printf(
                "fairness on %s: B's run started %d us after the release before it; %d of A's 80 runs started"
                        + " after it%n",
                kind, latency.toNanos() / 1000, startedAfterB);
        List<Ran> all = new ArrayList<>(runsOfA);
        all.add(runOfB);
        assertThat(all).hasSize(81);
        assertThat(mostAtOnce(all)).as("most runs at once").isEqualTo(1);
        assertThat(startedAfterB)
                .as("runs of A that A queued after B's started after it")
                .isEqualTo(40);
        assertThat(latency).as("from the release before it to B's start").isLessThan(JdbcSlotStore.SQLITE_SLOT_WAIT);
    }

    /**
     * Property: three processes sharing a SQLite file with a limit of 2 keep both slots busy while runs are
     * queued anywhere: the share of that time in which fewer than 2 ran (the slots' idle share) stays small,
     * where a 30 s slot wait left it at about three quarters. It is printed, for the docs. The limit is
     * never exceeded, and reached. The window runs from the moment every process has submitted its runs to
     * the last start, in which some run is always queued.
     */
    @Test
    void shouldKeepTheSlotsOfASharedFileBusyWhileRunsAreQueued() throws Exception {
        Store store = store("sqlite", Optional.empty(), Settings.DEFAULT_SLOT_LEASE);
        try (JdbcSlotStore limits = JdbcSlotStore.open(store.settings())) {
            limits.create("busy", 2);
        }
        int processes = 3;
        int tasks = 20;
        // long enough that the engine's own hand-off within a process, some ms a run, does not decide it
        long holdMs = 200;
        Path go = dir.resolve("go");
        List<Process> workers = new ArrayList<>();
        List<BlockingQueue<String>> outputs = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            Process p = start(
                    store,
                    "record",
                    go.toString(),
                    "busy",
                    "" + tasks,
                    Long.toString(holdMs),
                    dir.resolve("ran-" + i).toString());
            workers.add(p);
            outputs.add(ProcessLines.lines(p));
        }
        Files.writeString(go, "go");
        long allSubmitted = 0;
        for (int i = 0; i < processes; i++) {
            String submitted = ProcessLines.awaitLine(outputs.get(i), "submitted ", Duration.ofSeconds(60));
            allSubmitted = Math.max(allSubmitted, Long.parseLong(submitted.substring("submitted ".length())));
        }
        List<Ran> all = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            ProcessLines.awaitLine(outputs.get(i), "done", Duration.ofSeconds(90));
            assertThat(workers.get(i).waitFor(30, TimeUnit.SECONDS)).isTrue();
            all.addAll(ran(dir.resolve("ran-" + i)));
        }

        long lastStart = all.stream().mapToLong(Ran::start).max().orElseThrow();
        long idle = idleMicros(all, 2, allSubmitted, lastStart);
        double share = (double) idle / (lastStart - allSubmitted);
        System.out.printf(
                "idle share on SQLite, 3 processes x %d runs of %d ms, limit 2: %.1f%% (%d of %d ms)%n",
                tasks, holdMs, share * 100, idle / 1000, (lastStart - allSubmitted) / 1000);
        assertThat(all).hasSize(processes * tasks);
        assertThat(mostAtOnce(all)).as("most runs at once").isEqualTo(2);
        assertThat(share)
                .as("share of the time with runs queued in which a slot was idle")
                .isLessThan(0.25);
    }

    // ---- a store that cannot be used ---------------------------------------------------------------------

    /**
     * Property: a flow whose 20 tagged tasks find the store unusable (a closed PostgreSQL port, a SQLite
     * file that is no database) ends within 5 s, each run crashed with one line naming the store, and no
     * stack trace anywhere in the output.
     */
    @ParameterizedTest
    @ValueSource(strings = {"closed-port", "damaged-file"})
    void shouldEndTaggedRunsOnAnUnusableStoreFastWithOneLineEach(String how) throws Exception {
        Path home = dir.resolve("home");
        String option;
        String named;
        if (how.equals("closed-port")) {
            option = "-Dweft.database.url=jdbc:postgresql://127.0.0.1:1/weft";
            named = "jdbc:postgresql://127.0.0.1:1/weft";
        } else {
            Files.createDirectories(home);
            Files.write(home.resolve("weft.db"), new byte[8192]); // a stray `dd` over the file
            Files.writeString(home.resolve("weft.db"), "not a database, but what a script wrote here\n");
            option = "-Dweft.home=" + home;
            named = "SQLite file " + home.resolve("weft.db").toAbsolutePath();
        }
        Store store =
                new Store(option, new Settings(home, Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE));
        Process p = start(store, "tagged", "db", "20");
        BlockingQueue<String> out = ProcessLines.lines(p);
        List<String> printed = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (printed.isEmpty() || !printed.getLast().startsWith("final ")) {
            String line = out.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(line)
                    .as("the process's output so far:%n%s", String.join("\n", printed))
                    .isNotNull();
            printed.add(line);
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String took = printed.get(printed.size() - 2);
        String states = printed.getLast();

        assertThat(Duration.ofMillis(Long.parseLong(took.substring("took ".length()))))
                .isLessThan(Duration.ofSeconds(5));
        assertThat(states).isEqualTo("final" + " CRASHED".repeat(20));
        assertThat(printed).noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by"));
        assertThat(printed.stream().filter(line -> line.contains(named) && line.contains("finished in state Crashed")))
                .as("the process printed:%n%s", String.join("\n", printed))
                .hasSize(20);
        System.out.printf("unusable store (%s): %s, %d lines in all%n", how, took, printed.size());
    }
}
