package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Settings;
import dev.weft.StateType;
import dev.weft.WeftClient;
import dev.weft.spi.RunRecord;
import dev.weft.store.JdbcRunHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft runs} end to end on weft-store's SQLite file: the runs are written as a process's history
 * writer would, or by a flow in another JVM, and each command opens the history afresh, as separate {@code
 * weft} processes would.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunsCommandTest {
    /** The home that {@code --home} names. */
    @TempDir
    Path home;

    /** The home of the loaded settings, which stands in for ~/.weft. */
    @TempDir
    Path loadedHome;

    /** Now, to the second, so that printed times are what the records hold. */
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(3600);

    private final String etl = UUID.randomUUID().toString();
    private final String train = UUID.randomUUID().toString();
    private final String live = UUID.randomUUID().toString();

    private Console.Result weft(String... args) {
        return Console.weft(new ConcurrencyLimitCommand.Clients(() -> settings(loadedHome), WeftClient::open), args);
    }

    /** Runs {@code weft runs --home HOME ARGS}. */
    private Console.Result runs(String... args) {
        String[] line = new String[args.length + 3];
        line[0] = "runs";
        line[1] = "--home";
        line[2] = home.toString();
        System.arraycopy(args, 0, line, 3, args.length);
        return weft(line);
    }

    private static Settings settings(Path home) {
        return new Settings(home, Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE);
    }

    private static RunRecord flow(
            String id, String name, String flow, StateType state, String message, Instant started, Instant ended) {
        return new RunRecord(
                RunRecord.Kind.FLOW,
                id,
                null,
                name,
                flow,
                state,
                message,
                started,
                ended,
                "ConcurrentTaskRunner",
                null,
                List.of(),
                "4242@host-a");
    }

    private static RunRecord task(
            String flowRunId, String name, StateType state, String message, Instant started, Instant ended) {
        return new RunRecord(
                RunRecord.Kind.TASK,
                flowRunId,
                null,
                name,
                name.substring(0, name.indexOf('-')),
                state,
                message,
                started,
                ended,
                "ConcurrentTaskRunner",
                "weft-worker-1",
                List.of(),
                null);
    }

    private String at(long seconds) {
        return t0.plusSeconds(seconds).toString();
    }

    @BeforeEach
    void writeHistory() {
        try (JdbcRunHistory history = JdbcRunHistory.open(settings(home))) {
            history.write(List.of(
                    flow(etl, "amber-owl", "etl", StateType.FAILED, "1/3 states failed.", t0, t0.plusMillis(2_500)),
                    task(etl, "extract-1a2b3c4d-0", StateType.COMPLETED, null, t0, t0.plusMillis(800)),
                    task(etl, "extract-1a2b3c4d-1", StateType.COMPLETED, null, t0.plusSeconds(1), t0.plusSeconds(2)),
                    task(
                            etl,
                            "load-5e6f7a8b-0",
                            StateType.FAILED,
                            "Task run encountered an exception: IllegalStateException: the disk is full",
                            t0.plusSeconds(2),
                            t0.plusMillis(2_400)),
                    flow(
                            train,
                            "brave-cat",
                            "train",
                            StateType.COMPLETED,
                            "All states completed.",
                            t0.plusSeconds(60),
                            t0.plusSeconds(60 + 125)),
                    task(train, "fit-9c0d1e2f-0", StateType.COMPLETED, null, t0.plusSeconds(60), t0.plusSeconds(184)),
                    flow(live, "calm-fox", "etl", StateType.RUNNING, null, t0.plusSeconds(600), null)));
        }
    }

    @Test
    void shouldListTheFlowRunsNewestFirstWithTheirTaskRunsCountedByState() {
        Console.Result ls = runs("ls");

        assertThat(ls.exitCode()).as(ls.err()).isZero();
        assertThat(ls.outLines())
                .containsExactly(
                        "Name       Flow   State      Started               Duration  Task runs              Process",
                        "calm-fox   etl    Running    " + at(600) + "         -  -                      4242@host-a",
                        "brave-cat  train  Completed  " + at(60) + "    2m 05s  1 Completed            4242@host-a",
                        "amber-owl  etl    Failed     " + at(0) + "      2.5s  2 Completed, 1 Failed  4242@host-a");
        assertThat(ls.err()).isEmpty();
        assertThat(loadedHome.resolve("weft.db")).doesNotExist();
    }

    @Test
    void shouldListOnlyTheFlowRunsOfAStateANameOrAFlowUpToTheLimit() {
        assertThat(runs("ls", "--state", "FAILED").outLines())
                .hasSize(2)
                .last()
                .asString()
                .startsWith("amber-owl ");
        assertThat(runs("ls", "--state", "awaiting_retry").outLines())
                .containsExactly("No flow runs in SQLite file " + home.resolve("weft.db") + ".");
        assertThat(runs("ls", "--name", "etl").outLines())
                .extracting(line -> line.split(" ")[0])
                .containsExactly("Name", "calm-fox", "amber-owl");
        assertThat(runs("ls", "--name", "brave-cat").outLines()).hasSize(2);
        assertThat(runs("ls", "--limit", "1").outLines())
                .hasSize(2)
                .last()
                .asString()
                .startsWith("calm-fox ");
    }

    @Test
    void shouldRefuseAnUnknownStateOrALimitBelowOneWithExitCode2() {
        Console.Result state = runs("ls", "--state", "done");
        Console.Result limit = runs("show", "amber-owl", "--limit", "0");

        assertThat(state.exitCode()).isEqualTo(2);
        assertThat(state.errLines())
                .containsExactly("weft runs ls: Unknown state 'done': one of pending, queued, running, awaiting_retry,"
                        + " completed, failed, crashed, cancelled (in any case)");
        assertThat(limit.exitCode()).isEqualTo(2);
        assertThat(limit.errLines()).containsExactly("weft runs show: --limit must be 1 or more, not 0");
    }

    @Test
    void shouldShowAFlowRunAndItsTaskRunsInStartOrder() {
        Console.Result show = runs("show", "amber-owl");

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.outLines())
                .containsExactly(
                        "name: amber-owl",
                        "id: " + etl,
                        "flow: etl",
                        "state: Failed",
                        "message: 1/3 states failed.",
                        "runner: ConcurrentTaskRunner",
                        "process: 4242@host-a",
                        "started: " + at(0),
                        "ended: " + at(2),
                        "duration: 2.5s",
                        "task runs: 2 Completed, 1 Failed",
                        "",
                        "Task run            State      Started               Duration  Worker         Message",
                        "extract-1a2b3c4d-0  Completed  " + at(0) + "     800ms  weft-worker-1",
                        "extract-1a2b3c4d-1  Completed  " + at(1) + "      1.0s  weft-worker-1",
                        "load-5e6f7a8b-0     Failed     " + at(2) + "     400ms  weft-worker-1  Task run encountered"
                                + " an exception: IllegalStateException: the disk is full");
        assertThat(runs("show", etl).outLines()).isEqualTo(show.outLines());
        assertThat(runs("show", "etl").outLines())
                .as("a flow's name shows its newest run")
                .startsWith("name: calm-fox");
    }

    @Test
    void shouldShowTheTaskRunsOfOneStateUpToTheLimit() {
        assertThat(runs("show", "amber-owl", "--state", "failed").outLines())
                .last()
                .asString()
                .startsWith("load-5e6f7a8b-0 ");
        assertThat(runs("show", "amber-owl", "--limit", "1").outLines())
                .endsWith("... 2 more task runs: --limit 3 shows them all.");
        assertThat(runs("show", "calm-fox").outLines()).contains("state: Running", "ended: -", "", "No task runs.");
    }

    @Test
    void shouldSayInOneLineWithExitCode1ThatAFlowRunIsUnknown() {
        Console.Result show = runs("show", "no-such-run");
        Console.Result rm = runs("rm", "no-such-run");

        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.errLines()).containsExactly("weft runs show: No flow run found for: no-such-run");
        assertThat(show.out()).isEmpty();
        assertThat(rm.exitCode()).isEqualTo(1);
        assertThat(rm.errLines()).containsExactly("weft runs rm: No flow run found for: no-such-run");
    }

    @Test
    void shouldRemoveAFlowRunThatEndedButKeepOneThatRuns() {
        Console.Result removed = runs("rm", "amber-owl");
        Console.Result running = runs("rm", "calm-fox");

        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(removed.outLines())
                .containsExactly("Removed 1 flow run, with its task runs and subflow runs, from SQLite file "
                        + home.resolve("weft.db") + ".");
        assertThat(runs("rm", "train").exitCode())
                .as("a flow's name names none of its runs for rm")
                .isEqualTo(1);
        assertThat(running.exitCode()).isEqualTo(1);
        assertThat(running.errLines())
                .containsExactly("weft runs rm: The flow run calm-fox is still running: it is kept");
        assertThat(runs("ls").outLines())
                .extracting(line -> line.split(" ")[0])
                .containsExactly("Name", "calm-fox", "brave-cat");
    }

    @Test
    void shouldRemoveTheFlowRunsOlderThanAnAgeOrAllThatEnded() {
        assertThat(runs("rm", "--older-than", "30m").outLines())
                .first()
                .asString()
                .startsWith("Removed 2 flow runs,");
        assertThat(runs("rm", "--older-than", "1d").outLines())
                .first()
                .asString()
                .startsWith("Removed 0 flow runs,");
        try (JdbcRunHistory history = JdbcRunHistory.open(settings(home))) {
            history.write(List.of(flow(
                    live, "calm-fox", "etl", StateType.COMPLETED, null, t0.plusSeconds(600), t0.plusSeconds(601))));
        }
        assertThat(runs("rm", "--all").outLines()).first().asString().startsWith("Removed 1 flow run,");
        assertThat(runs("ls").outLines()).first().asString().startsWith("No flow runs in ");
    }

    @Test
    void shouldAskForExactlyOneOfARunAnAgeAndAllWithExitCode2() {
        Console.Result none = runs("rm");
        Console.Result two = runs("rm", "amber-owl", "--all");
        Console.Result age = runs("rm", "--older-than", "soon");

        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.errLines())
                .containsExactly("weft runs rm: give exactly one of RUN, --older-than AGE and --all");
        assertThat(two.exitCode()).isEqualTo(2);
        assertThat(age.exitCode()).isEqualTo(2);
        assertThat(age.errLines())
                .containsExactly(
                        "weft runs rm: --older-than must be an age of more than zero such as 7d, 12h or 30m, not 'soon'");
        assertThat(runs("ls").outLines()).hasSize(4);
    }

    @Test
    void shouldReportAnUnreachableDatabaseInOneLineWithoutThePasswordAndExitCode1() {
        Console.Result result =
                weft("runs", "--database-url", "jdbc:postgresql://127.0.0.1:1/weft?user=weft&password=s3cret", "ls");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .singleElement()
                .asString()
                .startsWith("weft runs ls: Cannot reach the run-history database ")
                .contains("jdbc:postgresql://127.0.0.1:1/weft?user=weft&password=***")
                .doesNotContain("s3cret");
    }

    @Test
    void shouldRefuseARetentionSettingThatDoesNotParseWithExitCode2() {
        System.setProperty("weft.history.max-age", "forever");
        Console.Result ls;
        try {
            ls = runs("ls");
        } finally {
            System.clearProperty("weft.history.max-age");
        }

        assertThat(ls.exitCode()).isEqualTo(2);
        assertThat(ls.errLines())
                .containsExactly("weft runs ls: The setting weft.history.max-age / WEFT_HISTORY_MAX_AGE must be a"
                        + " duration such as 30d, 12h or 90m, not 'forever'");
    }

    @Test
    void shouldUseTheLoadedSettingsHomeWithoutOptions() {
        Console.Result ls = weft("runs", "ls");

        assertThat(ls.exitCode()).as(ls.err()).isZero();
        assertThat(ls.outLines()).containsExactly("No flow runs in SQLite file " + loadedHome.resolve("weft.db") + ".");
    }

    /** Property: a flow run that another JVM ran shows with every one of its task runs, once it has ended. */
    @Test
    @Tag("slow")
    void shouldShowTheFlowRunOfAnotherJvmWithAllItsTaskRuns() throws Exception {
        int tasks = 12;
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "--enable-native-access=ALL-UNNAMED",
                        "-Dweft.home=" + home,
                        RunsFlowProcess.class.getName(),
                        Integer.toString(tasks))
                .redirectErrorStream(true)
                .start();
        String output;
        try {
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(output).isZero();
        String name = output.lines()
                .filter(line -> line.startsWith("flow "))
                .map(line -> line.substring("flow ".length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no flow line in:\n" + output));

        Console.Result show = runs("show", name);

        assertThat(show.exitCode()).as(show.err()).isZero();
        List<String> lines = show.outLines();
        assertThat(lines)
                .contains("name: " + name, "flow: nightly", "state: Completed", "task runs: 12 Completed, 1 Failed");
        assertThat(lines).anyMatch(line -> line.startsWith("process: " + p.pid() + "@"));
        List<String> taskRows = new ArrayList<>(lines.subList(lines.indexOf("") + 2, lines.size()));
        assertThat(taskRows).hasSize(tasks + 1);
        assertThat(taskRows.stream().filter(row -> row.startsWith("square-"))).hasSize(tasks);
        assertThat(taskRows)
                .filteredOn(row -> row.startsWith("fails-"))
                .singleElement()
                .asString()
                .contains(" Failed ")
                .contains("the disk is full");
        assertThat(runs("ls", "--name", "nightly").outLines())
                .last()
                .asString()
                .startsWith(name + " ")
                .contains("12 Completed, 1 Failed");
    }

    @Test
    void shouldKeepItsHistoryApartFromAHomeWithoutOne() throws IOException {
        Path empty = Files.createDirectories(home.resolve("other"));

        Console.Result ls = weft("runs", "--home", empty.toString(), "ls");

        assertThat(ls.outLines()).containsExactly("No flow runs in SQLite file " + empty.resolve("weft.db") + ".");
    }
}
