package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Settings;
import dev.weft.StateType;
import dev.weft.spi.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The run history across JVMs: a flow runs in a process of its own ({@link HistoryProcess}), and this JVM
 * reads its runs from the shared SQLite file or PostgreSQL schema, while it runs and after it ended.
 */
@Tag("slow")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class RunHistoryProcessesTest {
    private static final int TASKS = 20;

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

    /**
     * Property: what a flow run of another JVM has written is there for this one to read: the flow run as
     * RUNNING with the task runs that ended so far while it runs, and at its end its final state with every
     * task run, the failed one with its message.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void shouldListTheFlowRunOfAnotherJvmWithAllItsTaskRuns(String kind) throws Exception {
        Settings settings =
                new Settings(dir.resolve("home"), Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE);
        String option = "-Dweft.home=" + settings.home();
        if (kind.equals("postgresql")) {
            postgres = PostgresTestDatabase.connectOrSkip();
            settings = settings.withDatabaseUrl(postgres.newSchema());
            option = "-Dweft.database.url=" + settings.databaseUrl().orElseThrow();
        }
        Path go = dir.resolve("go");
        Process p = start(option, Integer.toString(TASKS), go.toString());
        BlockingQueue<String> lines = ProcessLines.lines(p);
        String name = ProcessLines.awaitLine(lines, "waiting ", Duration.ofSeconds(60))
                .substring("waiting ".length());

        try (JdbcRunHistory history = JdbcRunHistory.open(settings)) {
            Poll.until(
                    Duration.ofSeconds(30),
                    () -> history.flowRun(name)
                                    .map(f -> history.countTaskRuns(f.flowRunId()).values().stream()
                                            .mapToLong(Long::longValue)
                                            .sum())
                                    .orElse(0L)
                            == TASKS + 1,
                    "the other JVM's running flow run shows with its " + (TASKS + 1) + " task runs");
            RunRecord running = history.flowRun(name).orElseThrow();
            assertThat(running.state()).isEqualTo(StateType.RUNNING);
            assertThat(running.ended()).isNull();
            assertThat(running.process()).startsWith(p.pid() + "@");

            Files.writeString(go, "go");
            ProcessLines.awaitLine(lines, "flow " + name, Duration.ofSeconds(60));
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();

            RunRecord ended = history.flowRun(name).orElseThrow();
            assertThat(ended.state()).isEqualTo(StateType.COMPLETED);
            assertThat(ended.label()).isEqualTo("crossing");
            assertThat(ended.ended()).isAfter(ended.started());
            List<RunRecord> tasks = history.taskRuns(ended.flowRunId(), null, 100);
            assertThat(tasks).hasSize(TASKS + 1);
            assertThat(tasks).extracting(RunRecord::started).isSorted();
            assertThat(history.countTaskRuns(ended.flowRunId()))
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of(StateType.COMPLETED, (long) TASKS, StateType.FAILED, 1L));
            assertThat(history.taskRuns(ended.flowRunId(), StateType.FAILED, 10))
                    .singleElement()
                    .satisfies(failed -> {
                        assertThat(failed.label()).isEqualTo("fails");
                        assertThat(failed.message()).contains("the disk is full");
                    });
        }
    }

    private Process start(String storeOption, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED",
                storeOption,
                HistoryProcess.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }
}
