package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.SequentialTaskRunner;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.spi.RunHistories;
import dev.weft.spi.RunHistory;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The run history: every flow run and task run of the process reaches the history, with its state, times,
 * runner, worker and tags, written off the runs' threads; a history that falls behind slows the runs down
 * rather than lose any record.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class HistoryTest {
    private static final Task1<Integer, Integer> DOUBLE = Task.of("double", (Integer x) -> {
                Thread.sleep(5);
                return 2 * x;
            })
            .withTags("science");
    private static final Task0<Integer> FAILING = Task.of("failing", () -> {
        throw new IllegalStateException("no luck");
    });

    @AfterEach
    void backToTheDefault() {
        RunHistories.use(null);
    }

    @Test
    void shouldRecordEveryRunOfAFlowWithItsStateTimesRunnerWorkerAndTags() {
        RunHistory history = RunHistories.inMemory(10_000);
        RunHistories.use(history);
        Instant before = Instant.now();
        Flow<Integer> inner = Flow.of("history-inner", new SequentialTaskRunner(), () -> DOUBLE.call(21));
        State<Void> state = Flow.of("history-outer", new ConcurrentTaskRunner(), () -> {
                    TaskFuture<Integer> two = DOUBLE.submit(1);
                    TaskFuture<Integer> failed = FAILING.submit();
                    DOUBLE.submit(two);
                    DOUBLE.submit(failed); // never runs: its upstream run failed
                    inner.call();
                })
                .callForState();
        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(RunHistories.flush(Duration.ofSeconds(10))).isTrue();

        RunRecord outer =
                history.flowRuns(RunQuery.all().named("history-outer")).getFirst();
        assertThat(outer.kind()).isEqualTo(RunRecord.Kind.FLOW);
        assertThat(outer.state()).isEqualTo(StateType.FAILED);
        assertThat(outer.message()).isEqualTo("2/5 states failed.");
        assertThat(outer.runner()).isEqualTo("ConcurrentTaskRunner");
        assertThat(outer.started()).isAfterOrEqualTo(before);
        assertThat(outer.ended()).isAfterOrEqualTo(outer.started());
        assertThat(outer.process()).startsWith(ProcessHandle.current().pid() + "@");
        assertThat(history.flowRun(outer.name())).contains(outer);
        assertThat(history.flowRun(outer.flowRunId())).contains(outer);

        List<RunRecord> tasks = history.taskRuns(outer.flowRunId(), null, 100);
        assertThat(tasks).hasSize(4).allSatisfy(t -> {
            assertThat(t.kind()).isEqualTo(RunRecord.Kind.TASK);
            assertThat(t.flowRunId()).isEqualTo(outer.flowRunId());
            assertThat(t.runner()).isEqualTo("ConcurrentTaskRunner");
            assertThat(t.ended()).isNotNull();
        });
        assertThat(history.countTaskRuns(outer.flowRunId()))
                .isEqualTo(Map.of(StateType.COMPLETED, 2L, StateType.FAILED, 2L));
        RunRecord first = tasks.stream()
                .filter(t -> t.name().startsWith("double-") && t.state() == StateType.COMPLETED)
                .findFirst()
                .orElseThrow();
        assertThat(first.label()).isEqualTo("double");
        assertThat(first.tags()).containsExactly("science");
        assertThat(first.started()).isNotNull();
        assertThat(first.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(4));
        assertThat(first.worker()).isNotBlank();
        RunRecord failing = history.taskRuns(outer.flowRunId(), StateType.FAILED, 100).stream()
                .filter(t -> t.label().equals("failing"))
                .findFirst()
                .orElseThrow();
        assertThat(failing.message()).contains("no luck");
        RunRecord neverRan = history.taskRuns(outer.flowRunId(), StateType.FAILED, 100).stream()
                .filter(t -> t.label().equals("double"))
                .findFirst()
                .orElseThrow();
        assertThat(neverRan.started()).isNull();
        assertThat(tasks.getLast()).isEqualTo(neverRan); // never started: last

        RunRecord sub = history.flowRuns(RunQuery.all().named("history-inner")).getFirst();
        assertThat(sub.parentId()).isEqualTo(outer.flowRunId());
        assertThat(sub.state()).isEqualTo(StateType.COMPLETED);
        assertThat(sub.runner()).isEqualTo("SequentialTaskRunner");
        assertThat(history.taskRuns(sub.flowRunId(), null, 10)).singleElement().satisfies(t -> assertThat(t.state())
                .isEqualTo(StateType.COMPLETED));
    }

    @Test
    void shouldRecordAFlowRunAsItBeginsSoThatItShowsWhileItRuns() throws Exception {
        RunHistory history = RunHistories.inMemory(10_000);
        RunHistories.use(history);
        java.util.concurrent.CountDownLatch inBody = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        var future = Flow.of("history-live", () -> {
                    inBody.countDown();
                    release.await();
                })
                .start();
        inBody.await();
        assertThat(RunHistories.flush(Duration.ofSeconds(10))).isTrue();
        RunRecord live = history.flowRuns(RunQuery.all().named("history-live")).getFirst();
        assertThat(live.state()).isEqualTo(StateType.RUNNING);
        assertThat(live.ended()).isNull();
        assertThat(live.runner()).isEqualTo("ConcurrentTaskRunner");
        release.countDown();
        future.await();
        assertThat(RunHistories.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(history.flowRun(live.flowRunId()).orElseThrow().state()).isEqualTo(StateType.COMPLETED);
    }

    @Test
    void shouldWriteEveryRecordWhenTheHistoryFallsFarBehind() {
        AtomicInteger batches = new AtomicInteger();
        RunHistory memory = RunHistories.inMemory(1_000_000);
        RunHistory slow = new RunHistory() {
            @Override
            public void write(List<RunRecord> batch) {
                batches.incrementAndGet();
                try {
                    Thread.sleep(20); // a slow database: far slower than the runs end
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                memory.write(batch);
            }

            @Override
            public List<RunRecord> flowRuns(RunQuery query) {
                return memory.flowRuns(query);
            }

            @Override
            public java.util.Optional<RunRecord> flowRun(String nameOrId) {
                return memory.flowRun(nameOrId);
            }

            @Override
            public List<RunRecord> taskRuns(String flowRunId, StateType state, int limit) {
                return memory.taskRuns(flowRunId, state, limit);
            }

            @Override
            public List<RunRecord> latestTaskRuns(String flowRunId, int limit) {
                return memory.latestTaskRuns(flowRunId, limit);
            }

            @Override
            public Map<StateType, Long> countTaskRuns(String flowRunId) {
                return memory.countTaskRuns(flowRunId);
            }

            @Override
            public int remove(RunQuery query) {
                return memory.remove(query);
            }

            @Override
            public String describe() {
                return "a slow history";
            }
        };
        RunHistories.use(slow);
        int runs = 200_000; // three times what the writer's queue holds
        Task1<Integer, Integer> noop = Task.of("noop", (Integer i) -> i);
        State<Integer> state = Flow.of("history-burst", new ConcurrentTaskRunner(), () -> {
                    List<TaskFuture<Integer>> futures = new ArrayList<>(runs);
                    IntStream.range(0, runs).forEach(i -> futures.add(noop.submit(i)));
                    return TaskFuture.gather(futures).result().size();
                })
                .callForState();
        assertThat(state.type()).isEqualTo(StateType.COMPLETED);
        assertThat(RunHistories.flush(Duration.ofSeconds(60))).isTrue();
        RunRecord flow = memory.flowRuns(RunQuery.all().named("history-burst")).getFirst();
        assertThat(memory.countTaskRuns(flow.flowRunId())).isEqualTo(Map.of(StateType.COMPLETED, (long) runs));
        assertThat(batches.get()).isLessThan(runs / 100); // written in batches, not one by one
    }

    @Test
    void shouldKeepAMemoryHistoryBoundedDroppingTheOldestFlowRunsThatEnded() {
        RunHistory history = RunHistories.inMemory(300);
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        RunRecord running = flow("f-live", StateType.RUNNING, t, null);
        history.write(List.of(running));
        for (int f = 0; f < 10; f++) {
            List<RunRecord> batch = new ArrayList<>();
            batch.add(flow("f" + f, StateType.COMPLETED, t, t.plusSeconds(1)));
            for (int i = 0; i < 99; i++) {
                batch.add(task("f" + f, "t-" + i, t));
            }
            history.write(batch);
        }
        List<RunRecord> kept = history.flowRuns(RunQuery.all());
        assertThat(kept).extracting(RunRecord::name).containsExactly("f9", "f8", "f-live");
        assertThat(history.taskRuns("f9", null, 1000)).hasSize(99);
        assertThat(history.taskRuns("f0", null, 1000)).isEmpty();
        assertThat(history.remove(RunQuery.all().named("f8"))).isEqualTo(1);
        assertThat(history.remove(RunQuery.all().named("f-live"))).isZero(); // still running: kept
        assertThat(history.flowRuns(RunQuery.all())).extracting(RunRecord::name).containsExactly("f9", "f-live");
    }

    private static RunRecord flow(String id, StateType state, Instant started, Instant ended) {
        return new RunRecord(
                RunRecord.Kind.FLOW, id, null, id, "flow", state, null, started, ended, "r", null, List.of(), "1@h");
    }

    private static RunRecord task(String flowId, String name, Instant started) {
        return new RunRecord(
                RunRecord.Kind.TASK,
                flowId,
                null,
                name,
                "task",
                StateType.COMPLETED,
                null,
                started,
                started.plusMillis(1),
                "r",
                "w",
                List.of(),
                null);
    }
}
