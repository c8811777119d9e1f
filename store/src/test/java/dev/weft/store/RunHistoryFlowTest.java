package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.FlowRunFuture;
import dev.weft.Settings;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.spi.RunHistories;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine writes its runs to a {@link JdbcRunHistory}: a real flow with a few tasks, one of them
 * failing, and a subflow, ends up in the database with every run's state, message and times.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class RunHistoryFlowTest {
    @TempDir
    Path home;

    private PostgresTestDatabase postgres;

    @AfterEach
    void restoreTheDefaultHistory() {
        RunHistories.use(null);
        if (postgres != null) {
            postgres.close();
        }
    }

    private Settings settings(String kind) {
        Settings settings = new Settings(home, Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE);
        if (kind.equals("sqlite")) {
            return settings;
        }
        postgres = PostgresTestDatabase.connectOrSkip();
        return settings.withDatabaseUrl(postgres.newSchema());
    }

    private static final Task1<Integer, Integer> square = Task.of("square", (Integer i) -> i * i);
    private static final Task0<Integer> fails = Task.<Integer>of("fails", () -> {
                throw new IllegalStateException("the disk is full");
            })
            .withTags("disk");
    private static final Flow<Integer> subflow =
            Flow.of("sub", () -> square.submit(7).result());

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void shouldWriteTheFlowRunAndEachTaskRunWithItsStateMessageAndTimes(String kind) {
        Instant before = Instant.now();
        List<TaskFuture<?>> runs = new ArrayList<>();
        Flow<Integer> flow = Flow.of("history-e2e", new ConcurrentTaskRunner(), () -> {
            TaskFuture<Integer> a = square.submit(2);
            TaskFuture<Integer> b = square.submit(3);
            TaskFuture<Integer> bad = fails.submit();
            runs.addAll(List.of(a, b, bad));
            bad.await(); // a failed run the flow looks at, without raising
            return a.result() + b.result() + subflow.call();
        });

        // the failing task's tag needs a store of limits: one of this test's, whatever other tests left
        SlotStore previousSlots = SlotStores.use(SlotStores.inMemory());
        try (JdbcRunHistory history = JdbcRunHistory.open(settings(kind))) {
            RunHistories.use(history);
            try {
                check(history, flow, runs, before);
            } finally {
                RunHistories.use(null); // before the history closes: the writer must not meet it closed
            }
        } finally {
            SlotStores.use(previousSlots);
        }
    }

    private static void check(JdbcRunHistory history, Flow<Integer> flow, List<TaskFuture<?>> runs, Instant before) {
        FlowRunFuture<Integer> run = flow.start();
        State<Integer> state = run.await();
        assertThat(RunHistories.flush(Duration.ofSeconds(10))).isTrue();
        Instant after = Instant.now();

        assertThat(state.type()).isEqualTo(StateType.COMPLETED);
        RunRecord flowRun = history.flowRun(run.name()).orElseThrow();
        assertThat(flowRun.kind()).isEqualTo(RunRecord.Kind.FLOW);
        assertThat(flowRun.label()).isEqualTo("history-e2e");
        assertThat(flowRun.parentId()).isNull();
        assertThat(flowRun.state()).isEqualTo(StateType.COMPLETED);
        assertThat(flowRun.message()).isEqualTo(state.message());
        assertThat(flowRun.runner()).isEqualTo("ConcurrentTaskRunner");
        assertThat(flowRun.process()).startsWith(ProcessHandle.current().pid() + "@");
        assertThat(flowRun.started()).isBetween(before.minusMillis(1), flowRun.ended());
        assertThat(flowRun.ended()).isBeforeOrEqualTo(after);

        Map<String, RunRecord> tasks = history.taskRuns(flowRun.flowRunId(), null, 100).stream()
                .collect(Collectors.toMap(RunRecord::name, Function.identity()));
        assertThat(tasks).containsOnlyKeys(runs.stream().map(TaskFuture::name).toList());
        for (TaskFuture<?> future : runs) {
            RunRecord task = tasks.get(future.name());
            State<?> final_ = future.state();
            assertThat(task.state()).as(future.name()).isEqualTo(final_.type());
            assertThat(task.message()).as(future.name()).isEqualTo(final_.message());
            assertThat(task.started())
                    .as(future.name())
                    .isAfterOrEqualTo(flowRun.started().minusMillis(1));
            assertThat(task.ended()).as(future.name()).isAfterOrEqualTo(task.started());
            assertThat(task.ended()).as(future.name()).isBeforeOrEqualTo(flowRun.ended());
            assertThat(task.runner()).isEqualTo("ConcurrentTaskRunner");
        }
        RunRecord failed = tasks.get(runs.get(2).name());
        assertThat(failed.state()).isEqualTo(StateType.FAILED);
        assertThat(failed.message()).contains("the disk is full");
        assertThat(failed.tags()).containsExactly("disk");
        assertThat(failed.label()).isEqualTo("fails");
        assertThat(history.countTaskRuns(flowRun.flowRunId()))
                .containsExactlyInAnyOrderEntriesOf(Map.of(StateType.COMPLETED, 2L, StateType.FAILED, 1L));

        RunRecord sub = history.flowRuns(RunQuery.all().named("sub")).get(0);
        assertThat(sub.parentId()).isEqualTo(flowRun.flowRunId());
        assertThat(sub.state()).isEqualTo(StateType.COMPLETED);
        assertThat(history.taskRuns(sub.flowRunId(), null, 10))
                .singleElement()
                .extracting(RunRecord::label)
                .isEqualTo("square");
    }

    @Test
    void shouldShowAFlowRunAsRunningWhileItRuns() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Flow<Void> flow = Flow.of("long-history", () -> {
            running.countDown();
            finish.await();
        });

        try (JdbcRunHistory history = JdbcRunHistory.open(settings("sqlite"))) {
            RunHistories.use(history);
            FlowRunFuture<Void> run = flow.start();
            try {
                assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(RunHistories.flush(Duration.ofSeconds(10))).isTrue();

                RunRecord seen = history.flowRun(run.name()).orElseThrow();
                assertThat(seen.state()).isEqualTo(StateType.RUNNING);
                assertThat(seen.ended()).isNull();
            } finally {
                finish.countDown();
            }
            run.await();
            assertThat(RunHistories.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(history.flowRun(run.name()).orElseThrow().state()).isEqualTo(StateType.COMPLETED);
            RunHistories.use(null);
        }
    }
}
