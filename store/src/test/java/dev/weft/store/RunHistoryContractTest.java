package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Settings;
import dev.weft.StateType;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import dev.weft.spi.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link JdbcRunHistory} database must do: the semantics of core's {@code InMemoryHistory}
 * (newest first, a later record replacing the earlier one, task runs in start order, removal with
 * subflows), plus retention, and sharing the database with another history. One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class RunHistoryContractTest {
    /** A retention that removes nothing the tests write, unless a test says otherwise. */
    static final HistoryRetention KEEP_ALL = new HistoryRetention(Duration.ofDays(36_500), Integer.MAX_VALUE);

    /** Now, in whole microseconds: what the history keeps of an instant. */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

    /** The database of the test, fresh for each. */
    Settings settings;

    /** A history on it, opened before each test. */
    JdbcRunHistory history;

    /**
     * Settings that name a fresh, empty database; each call makes another.
     *
     * @return the settings
     */
    abstract Settings newDatabase();

    /** Drops the databases {@link #newDatabase()} made, where they outlive the test. */
    void dropDatabases() {}

    @BeforeEach
    void openHistory() {
        settings = newDatabase();
        history = JdbcRunHistory.open(settings, KEEP_ALL);
    }

    @AfterEach
    void closeHistory() {
        history.close();
    }

    @AfterAll
    void cleanUp() {
        dropDatabases();
    }

    // ---- records --------------------------------------------------------------------------------------

    static RunRecord flow(
            String id, String parentId, String name, String flow, StateType state, Instant started, Instant ended) {
        return new RunRecord(
                RunRecord.Kind.FLOW,
                id,
                parentId,
                name,
                flow,
                state,
                state == StateType.FAILED ? "1/2 states failed." : state.isFinal() ? "All states completed." : null,
                started,
                ended,
                "ConcurrentTaskRunner",
                null,
                List.of(),
                "4242@host-a");
    }

    static RunRecord ended(String id, String name, String flow, Instant started, Instant ended) {
        return flow(id, null, name, flow, StateType.COMPLETED, started, ended);
    }

    static RunRecord task(String flowRunId, String name, StateType state, Instant started, Instant ended) {
        return new RunRecord(
                RunRecord.Kind.TASK,
                flowRunId,
                null,
                name,
                name.substring(0, name.indexOf('-')),
                state,
                state == StateType.FAILED ? "Task run encountered an exception: boom" : null,
                started,
                ended,
                "ConcurrentTaskRunner",
                "weft-worker-1",
                List.of("db", "small instance"),
                null);
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    List<String> names(List<RunRecord> records) {
        return records.stream().map(RunRecord::name).toList();
    }

    // ---- writing and reading --------------------------------------------------------------------------

    /**
     * Property: a flow run left RUNNING by a process of this host that is gone (killed, it could not say so)
     * reads as CRASHED, saying why, and is written so; one whose process lives, or of another host, stays
     * RUNNING.
     */
    @Test
    void shouldEndAsCrashedARunningFlowRunWhoseProcessIsGone() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        assertThat(exited.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String gone = RunRecord.process(exited.pid());
        String living = RunRecord.process(ProcessHandle.current().pid());
        history.write(List.of(
                flow(newId(), null, "killed-run", "nightly", StateType.RUNNING, at(0), null)
                        .withProcess(gone),
                flow(newId(), null, "living-run", "nightly", StateType.RUNNING, at(0), null)
                        .withProcess(living),
                flow(newId(), null, "remote-run", "nightly", StateType.RUNNING, at(0), null), // another host
                // begun an hour before this process: its id was another's, since gone
                flow(newId(), null, "reused-run", "nightly", StateType.RUNNING, at(-3600), null)
                        .withProcess(living)));

        RunRecord killed = history.flowRun("killed-run").orElseThrow();
        assertThat(killed.state()).isEqualTo(StateType.CRASHED);
        assertThat(killed.message())
                .isEqualTo("Flow run crashed: its process " + gone + " is gone, and the run never ended there (the"
                        + " process was killed, say)");
        assertThat(killed.ended()).isAfterOrEqualTo(killed.started());
        assertThat(history.flowRun("living-run").orElseThrow().state()).isEqualTo(StateType.RUNNING);
        assertThat(history.flowRun("remote-run").orElseThrow().state()).isEqualTo(StateType.RUNNING);
        assertThat(history.flowRun("reused-run").orElseThrow().state()).isEqualTo(StateType.CRASHED);
        assertThat(history.remove(RunQuery.all().inState(StateType.CRASHED)))
                .as("written as crashed, and so no longer kept as running")
                .isEqualTo(2);
    }

    @Test
    void shouldReadBackTheFlowRunAndTaskRunsItWrote() {
        String id = newId();
        RunRecord flow = flow(id, null, "olivine-swan", "etl", StateType.FAILED, at(0), at(9).plusNanos(123_000));
        RunRecord ok = task(id, "extract-1a2b3c4d-0", StateType.COMPLETED, at(1), at(2));
        RunRecord failed = task(id, "load-5e6f7a8b-0", StateType.FAILED, at(3), at(4));
        RunRecord neverRan = new RunRecord(
                RunRecord.Kind.TASK,
                id,
                null,
                "report-9c0d1e2f-0",
                "report",
                StateType.CANCELLED,
                "Upstream task run failed",
                null,
                at(5),
                "ConcurrentTaskRunner",
                null,
                List.of(),
                null);

        history.write(List.of(flow, ok, failed, neverRan));

        assertThat(history.flowRuns(RunQuery.all())).containsExactly(flow);
        assertThat(history.flowRun(id)).contains(flow);
        assertThat(history.flowRun("olivine-swan")).contains(flow);
        assertThat(history.flowRun("no-such-run")).isEmpty();
        assertThat(history.taskRuns(id, null, 10)).containsExactly(ok, failed, neverRan);
        assertThat(history.taskRuns(newId(), null, 10)).isEmpty();
    }

    @Test
    void shouldKeepEveryStateAsItWasWritten() {
        String id = newId();
        List<RunRecord> batch = new ArrayList<>();
        for (StateType state : StateType.values()) {
            batch.add(flow(newId(), null, "flow-" + state, "etl", state, at(0), at(1)));
            batch.add(task(id, state.name().toLowerCase() + "-0", state, at(state.ordinal()), at(10)));
        }
        history.write(batch);

        for (StateType state : StateType.values()) {
            assertThat(history.flowRun("flow-" + state)).map(RunRecord::state).contains(state);
            assertThat(history.taskRuns(id, state, 10))
                    .extracting(RunRecord::state)
                    .containsExactly(state);
        }
        assertThat(history.countTaskRuns(id)).hasSize(StateType.values().length);
    }

    @Test
    void shouldReplaceTheRunningRecordOfAFlowRunByItsEnd() {
        String id = newId();
        RunRecord running = flow(id, null, "olivine-swan", "etl", StateType.RUNNING, at(0), null);
        RunRecord completed = flow(id, null, "olivine-swan", "etl", StateType.COMPLETED, at(0), at(5));

        history.write(List.of(running));
        assertThat(history.flowRun(id)).contains(running);
        history.write(List.of(completed));

        assertThat(history.flowRuns(RunQuery.all())).containsExactly(completed);

        String other = newId();
        RunRecord begins = flow(other, null, "amber-owl", "etl", StateType.RUNNING, at(10), null);
        RunRecord ends = flow(other, null, "amber-owl", "etl", StateType.FAILED, at(10), at(11));
        history.write(List.of(begins, ends)); // both in one batch: the later one wins

        assertThat(history.flowRun(other)).contains(ends);
    }

    @Test
    void shouldReplaceATaskRunWrittenAgain() {
        String id = newId();
        history.write(List.of(task(id, "load-5e6f7a8b-0", StateType.FAILED, at(1), at(2))));
        RunRecord again = task(id, "load-5e6f7a8b-0", StateType.COMPLETED, at(1), at(3));

        history.write(List.of(again));

        assertThat(history.taskRuns(id, null, 10)).containsExactly(again);
    }

    @Test
    void shouldListFlowRunsNewestFirstAndFilterThem() {
        String a = newId();
        String b = newId();
        String c = newId();
        String d = newId();
        history.write(List.of(
                ended(a, "amber-owl", "etl", at(0), at(1)),
                flow(b, null, "brave-cat", "train", StateType.FAILED, at(10), at(11)),
                ended(c, "calm-fox", "etl", at(20), at(21)),
                flow(d, null, "dark-elk", "etl", StateType.RUNNING, at(30), null),
                // never started: listed by its end
                flow(newId(), null, "eager-gnu", "train", StateType.CANCELLED, null, at(15))));

        assertThat(names(history.flowRuns(RunQuery.all())))
                .containsExactly("dark-elk", "calm-fox", "eager-gnu", "brave-cat", "amber-owl");
        assertThat(names(history.flowRuns(RunQuery.all().limit(2)))).containsExactly("dark-elk", "calm-fox");
        assertThat(names(history.flowRuns(RunQuery.all().named("etl"))))
                .containsExactly("dark-elk", "calm-fox", "amber-owl");
        assertThat(names(history.flowRuns(RunQuery.all().named("brave-cat")))).containsExactly("brave-cat");
        assertThat(names(history.flowRuns(RunQuery.all().named(c)))).containsExactly("calm-fox");
        assertThat(names(history.flowRuns(RunQuery.all().inState(StateType.COMPLETED))))
                .containsExactly("calm-fox", "amber-owl");
        assertThat(names(history.flowRuns(RunQuery.all().endedBefore(at(12)))))
                .containsExactly("brave-cat", "amber-owl");
        assertThat(names(history.flowRuns(RunQuery.all().named("etl").inState(StateType.RUNNING))))
                .containsExactly("dark-elk");
    }

    @Test
    void shouldFindTheNewestFlowRunOfAName() {
        String older = newId();
        String newer = newId();
        history.write(List.of(
                ended(newer, "amber-owl", "etl", at(10), at(11)), ended(older, "amber-owl", "etl", at(0), at(1))));

        assertThat(history.flowRun("amber-owl")).map(RunRecord::flowRunId).contains(newer);
        assertThat(history.flowRun(older)).map(RunRecord::flowRunId).contains(older);
    }

    @Test
    void shouldListTaskRunsInStartOrderWithThoseThatNeverStartedLast() {
        String id = newId();
        history.write(List.of(
                task(id, "c-0", StateType.COMPLETED, at(3), at(4)),
                task(id, "never-0", StateType.CANCELLED, null, at(9)),
                task(id, "a-0", StateType.FAILED, at(1), at(8)),
                task(id, "b-0", StateType.COMPLETED, at(2), at(3)),
                task(id, "d-0", StateType.FAILED, at(4), at(5))));

        assertThat(names(history.taskRuns(id, null, 10))).containsExactly("a-0", "b-0", "c-0", "d-0", "never-0");
        assertThat(names(history.taskRuns(id, null, 2))).containsExactly("a-0", "b-0");
        assertThat(names(history.taskRuns(id, null, 0))).isEmpty();
        assertThat(names(history.taskRuns(id, StateType.FAILED, 10))).containsExactly("a-0", "d-0");
        assertThat(names(history.taskRuns(id, StateType.CANCELLED, 10))).containsExactly("never-0");
        assertThat(names(history.taskRuns(id, StateType.CRASHED, 10))).isEmpty();
        assertThatThrownBy(() -> history.taskRuns(id, null, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldListTheTaskRunsThatEndedLastNewestFirst() {
        String id = newId();
        history.write(List.of(
                task(id, "a-0", StateType.COMPLETED, at(1), at(8)),
                task(id, "b-0", StateType.COMPLETED, at(2), at(3)),
                task(id, "c-0", StateType.FAILED, at(3), at(6))));
        history.write(List.of(task(newId(), "other-0", StateType.COMPLETED, at(1), at(100))));

        assertThat(names(history.latestTaskRuns(id, 10))).containsExactly("a-0", "c-0", "b-0");
        assertThat(names(history.latestTaskRuns(id, 2))).containsExactly("a-0", "c-0");
    }

    @Test
    void shouldCountTaskRunsByState() {
        String id = newId();
        List<RunRecord> batch = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            batch.add(task(id, "ok-" + i, StateType.COMPLETED, at(i), at(i + 1)));
        }
        batch.add(task(id, "bad-0", StateType.FAILED, at(1), at(2)));
        batch.add(task(id, "bad-1", StateType.FAILED, at(1), at(2)));
        batch.add(task(id, "gone-0", StateType.CRASHED, at(1), at(2)));
        history.write(batch);

        assertThat(history.countTaskRuns(id))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(StateType.COMPLETED, 7L, StateType.FAILED, 2L, StateType.CRASHED, 1L));
        assertThat(history.countTaskRuns(newId())).isEmpty();
    }

    // ---- task runs appended, as the engine writes them ------------------------------------------------

    @Test
    void shouldReadBackAppendedTaskRunsAsTheyWereGiven() {
        String id = newId();
        RunRecord flow = flow(id, null, "olivine-swan", "etl", StateType.FAILED, at(0), at(9).plusNanos(123_000));
        RunRecord ok = task(id, "extract-1a2b3c4d-0", StateType.COMPLETED, at(1), at(2).plusNanos(7_000));
        RunRecord failed = task(id, "load-5e6f7a8b-0", StateType.FAILED, at(3), at(4));
        RunRecord odd = new RunRecord(
                RunRecord.Kind.TASK,
                id,
                null,
                "naïve name, no number",
                "naïve",
                StateType.CRASHED,
                "Task run crashed:\nits worker is gone",
                at(6),
                at(5).minusMillis(1), // a clock that went back: kept as it was
                null,
                null,
                List.of("ünïcode", "db"),
                null);
        RunRecord neverRan = new RunRecord(
                RunRecord.Kind.TASK,
                id,
                null,
                "report-9c0d1e2f-007",
                "report",
                StateType.CANCELLED,
                "Upstream task run failed",
                null,
                at(5),
                "ConcurrentTaskRunner",
                null,
                List.of(),
                null);

        history.append(List.of(flow, ok, failed, odd, neverRan));

        assertThat(history.flowRun(id)).contains(flow);
        assertThat(history.taskRuns(id, null, 10)).containsExactly(ok, failed, odd, neverRan);
        assertThat(history.taskRuns(id, StateType.FAILED, 10)).containsExactly(failed);
        assertThat(history.latestTaskRuns(id, 10)).containsExactly(neverRan, odd, failed, ok);
        assertThat(history.countTaskRuns(id))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        StateType.COMPLETED, 1L, StateType.FAILED, 1L, StateType.CRASHED, 1L, StateType.CANCELLED, 1L));
    }

    /**
     * Property: task runs appended in many batches (packs) and written one by one (rows) read as one list:
     * in start order, those that never started last, the latest to end first, each counted once.
     */
    @Test
    void shouldReadAppendedAndWrittenTaskRunsOfARunAsOne() {
        String id = newId();
        history.append(List.of(
                task(id, "c-0", StateType.COMPLETED, at(3), at(4)),
                task(id, "never-0", StateType.CANCELLED, null, at(9))));
        history.write(List.of(task(id, "a-0", StateType.FAILED, at(1), at(8))));
        history.append(List.of(task(id, "b-0", StateType.COMPLETED, at(2), at(3))));
        history.append(List.of(task(id, "d-0", StateType.FAILED, at(4), at(5))));
        history.append(List.of(task(newId(), "other-0", StateType.COMPLETED, at(0), at(100))));

        assertThat(names(history.taskRuns(id, null, 10))).containsExactly("a-0", "b-0", "c-0", "d-0", "never-0");
        assertThat(names(history.taskRuns(id, null, 2))).containsExactly("a-0", "b-0");
        assertThat(names(history.taskRuns(id, null, 0))).isEmpty();
        assertThat(names(history.taskRuns(id, StateType.FAILED, 10))).containsExactly("a-0", "d-0");
        assertThat(names(history.taskRuns(id, StateType.CANCELLED, 10))).containsExactly("never-0");
        assertThat(names(history.latestTaskRuns(id, 10))).containsExactly("never-0", "a-0", "d-0", "c-0", "b-0");
        assertThat(names(history.latestTaskRuns(id, 2))).containsExactly("never-0", "a-0");
        assertThat(history.countTaskRuns(id))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(StateType.COMPLETED, 2L, StateType.FAILED, 2L, StateType.CANCELLED, 1L));
    }

    @Test
    void shouldAppendAndReadAHundredThousandTaskRunsOfOneRun() {
        String id = newId();
        int n = 100_000;
        List<RunRecord> batch = new ArrayList<>(n + 1);
        batch.add(flow(id, null, "big-run", "fan-out", StateType.RUNNING, at(0), null));
        for (int i = 0; i < n; i++) {
            // ends in an order of their own, as the runs of a pool do: not the order they started
            Instant started = at(0).plusNanos(i * 1_000L);
            batch.add(new RunRecord(
                    RunRecord.Kind.TASK,
                    id,
                    null,
                    "square-1a2b3c4d-" + i,
                    "square",
                    i % 1000 == 0 ? StateType.FAILED : StateType.COMPLETED,
                    i % 1000 == 0 ? "Task run encountered an exception: boom " + i : null,
                    started,
                    started.plusNanos(500_000 + (i % 7) * 3_000_000L),
                    "ForkJoinTaskRunner",
                    "weft-forkjoin-" + (i % 2),
                    List.of(),
                    null));
        }

        history.append(batch.subList(0, 60_001));
        history.append(batch.subList(60_001, n + 1));

        assertThat(history.countTaskRuns(id))
                .containsExactlyInAnyOrderEntriesOf(Map.of(StateType.COMPLETED, 99_900L, StateType.FAILED, 100L));
        assertThat(names(history.taskRuns(id, null, 3)))
                .containsExactly("square-1a2b3c4d-0", "square-1a2b3c4d-1", "square-1a2b3c4d-2");
        List<RunRecord> all = history.taskRuns(id, null, n);
        assertThat(all).hasSize(n).isSortedAccordingTo(java.util.Comparator.comparing(RunRecord::started));
        assertThat(all).containsExactlyInAnyOrderElementsOf(batch.subList(1, n + 1));
        RunRecord lastToEnd = batch.subList(1, n + 1).stream()
                .max(java.util.Comparator.comparing(RunRecord::ended))
                .orElseThrow();
        assertThat(history.latestTaskRuns(id, 1)).containsExactly(lastToEnd);
        assertThat(history.latestTaskRuns(id, 500))
                .hasSize(500)
                .isSortedAccordingTo(
                        java.util.Comparator.comparing(RunRecord::ended).reversed());
        assertThat(history.taskRuns(id, StateType.FAILED, n)).hasSize(100).allSatisfy(r -> assertThat(r.message())
                .startsWith("Task run encountered an exception: boom"));
    }

    @Test
    void shouldRemoveAppendedTaskRunsWithTheirFlowRun() {
        String gone = newId();
        String kept = newId();
        history.append(List.of(
                ended(gone, "amber-owl", "etl", at(0), at(10)),
                ended(kept, "eager-gnu", "train", at(30), at(31)),
                task(gone, "a-0", StateType.COMPLETED, at(1), at(2)),
                task(kept, "c-0", StateType.COMPLETED, at(30), at(31))));

        assertThat(history.remove(RunQuery.all().named("etl"))).isEqualTo(1);

        assertThat(history.taskRuns(gone, null, 10)).isEmpty();
        assertThat(history.countTaskRuns(gone)).isEmpty();
        assertThat(names(history.taskRuns(kept, null, 10))).containsExactly("c-0");
    }

    // ---- removal --------------------------------------------------------------------------------------

    @Test
    void shouldRemoveEndedFlowRunsWithTheirTaskRunsAndSubflowRuns() {
        String parent = newId();
        String child = newId();
        String grandchild = newId();
        String running = newId();
        String kept = newId();
        history.write(List.of(
                ended(parent, "amber-owl", "etl", at(0), at(10)),
                flow(child, parent, "brave-cat", "extract", StateType.COMPLETED, at(1), at(5)),
                flow(grandchild, child, "calm-fox", "fetch", StateType.COMPLETED, at(2), at(3)),
                flow(running, null, "dark-elk", "etl", StateType.RUNNING, at(20), null),
                ended(kept, "eager-gnu", "train", at(30), at(31)),
                task(parent, "a-0", StateType.COMPLETED, at(1), at(2)),
                task(grandchild, "b-0", StateType.COMPLETED, at(2), at(3)),
                task(kept, "c-0", StateType.COMPLETED, at(30), at(31))));

        int removed = history.remove(RunQuery.all().named("etl"));

        assertThat(removed).as("top-level matches: the running one is kept").isEqualTo(1);
        assertThat(names(history.flowRuns(RunQuery.all()))).containsExactly("eager-gnu", "dark-elk");
        assertThat(history.taskRuns(parent, null, 10)).isEmpty();
        assertThat(history.taskRuns(grandchild, null, 10)).isEmpty();
        assertThat(history.countTaskRuns(kept)).containsEntry(StateType.COMPLETED, 1L);
        assertThat(history.remove(RunQuery.all().named("no-such-run"))).isZero();
    }

    @Test
    void shouldRemoveEveryEndedFlowRunOrThoseThatEndedBeforeAnInstant() {
        history.write(List.of(
                ended(newId(), "amber-owl", "etl", at(0), at(1)),
                ended(newId(), "brave-cat", "etl", at(10), at(11)),
                flow(newId(), null, "calm-fox", "etl", StateType.RUNNING, at(0), null)));

        assertThat(history.remove(RunQuery.all().endedBefore(at(5)))).isEqualTo(1);
        assertThat(names(history.flowRuns(RunQuery.all()))).containsExactly("brave-cat", "calm-fox");
        assertThat(history.remove(RunQuery.all())).isEqualTo(1);
        assertThat(names(history.flowRuns(RunQuery.all()))).containsExactly("calm-fox");
    }

    // ---- retention ------------------------------------------------------------------------------------

    @Test
    void shouldKeepOnlyTheNewestFlowRunsButNeverOneThatRuns() {
        String running = newId();
        List<RunRecord> batch = new ArrayList<>();
        batch.add(flow(running, null, "oldest-but-running", "etl", StateType.RUNNING, at(-100), null));
        for (int i = 0; i < 6; i++) {
            String id = newId();
            batch.add(ended(id, "run-" + i, "etl", at(i * 10), at(i * 10 + 1)));
            batch.add(task(id, "t-0", StateType.COMPLETED, at(i * 10), at(i * 10 + 1)));
        }
        String oldestId = batch.get(1).flowRunId();
        history.write(batch);

        try (JdbcRunHistory reopened = JdbcRunHistory.open(settings, new HistoryRetention(Duration.ofDays(30), 4))) {
            // the 4 newest are run-5..run-2; of the rest, the running one stays
            assertThat(names(reopened.flowRuns(RunQuery.all())))
                    .containsExactly("run-5", "run-4", "run-3", "run-2", "oldest-but-running");
            assertThat(reopened.countTaskRuns(oldestId)).isEmpty();
        }
    }

    @Test
    void shouldRemoveFlowRunsThatEndedLongerAgoThanTheMostAge() {
        Instant longAgo = Instant.now().minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.MICROS);
        String old = newId();
        String oldChild = newId();
        String oldRunning = newId();
        String recent = newId();
        history.write(List.of(
                ended(old, "old-run", "etl", longAgo, longAgo.plusSeconds(5)),
                flow(oldChild, old, "old-child", "extract", StateType.COMPLETED, longAgo, longAgo.plusSeconds(1)),
                task(old, "t-0", StateType.COMPLETED, longAgo, longAgo.plusSeconds(1)),
                flow(oldRunning, null, "old-but-running", "etl", StateType.RUNNING, longAgo, null),
                ended(recent, "recent-run", "etl", T0.minusSeconds(60), T0.minusSeconds(50))));

        try (JdbcRunHistory reopened =
                JdbcRunHistory.open(settings, new HistoryRetention(Duration.ofDays(30), Integer.MAX_VALUE))) {
            assertThat(names(reopened.flowRuns(RunQuery.all()))).containsExactly("recent-run", "old-but-running");
            assertThat(reopened.taskRuns(old, null, 10)).isEmpty();
        }
    }

    // ---- volume and sharing ---------------------------------------------------------------------------

    @Test
    void shouldWriteAndCountABatchOfAHundredThousandTaskRuns() {
        String id = newId();
        int n = 100_000;
        List<RunRecord> batch = new ArrayList<>(n + 1);
        batch.add(flow(id, null, "big-run", "fan-out", StateType.RUNNING, at(0), null));
        for (int i = 0; i < n; i++) {
            Instant started = at(0).plusNanos(i * 1_000L);
            batch.add(new RunRecord(
                    RunRecord.Kind.TASK,
                    id,
                    null,
                    "square-1a2b3c4d-" + i,
                    "square",
                    i % 1000 == 0 ? StateType.FAILED : StateType.COMPLETED,
                    null,
                    started,
                    started.plusNanos(500_000),
                    "ConcurrentTaskRunner",
                    "weft-worker-1",
                    List.of(),
                    null));
        }

        history.write(batch);

        assertThat(history.countTaskRuns(id))
                .containsExactlyInAnyOrderEntriesOf(Map.of(StateType.COMPLETED, 99_900L, StateType.FAILED, 100L));
        assertThat(names(history.taskRuns(id, null, 3)))
                .containsExactly("square-1a2b3c4d-0", "square-1a2b3c4d-1", "square-1a2b3c4d-2");
        assertThat(names(history.latestTaskRuns(id, 1))).containsExactly("square-1a2b3c4d-" + (n - 1));
        assertThat(history.taskRuns(id, StateType.FAILED, n)).hasSize(100);
    }

    @Test
    void shouldShowWhatOneHistoryWroteToAnotherOnTheSameDatabase() {
        String id = newId();
        try (JdbcRunHistory other = JdbcRunHistory.open(settings, KEEP_ALL)) {
            other.write(List.of(
                    flow(id, null, "amber-owl", "etl", StateType.RUNNING, at(0), null),
                    task(id, "a-0", StateType.COMPLETED, at(1), at(2))));
        }

        assertThat(history.flowRun("amber-owl")).map(RunRecord::state).contains(StateType.RUNNING);
        assertThat(names(history.taskRuns(id, null, 10))).containsExactly("a-0");
    }

    /**
     * Property: histories that write into one database at once, as processes do, each with flow runs of
     * their own, lose none of each other's task runs and mix none up.
     */
    @Test
    void shouldKeepTheTaskRunsOfHistoriesThatWriteAtOnceApart() throws Exception {
        int writers = 3;
        int batches = 20;
        int perBatch = 500;
        List<String> ids = new ArrayList<>();
        List<Future<?>> done = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(writers)) {
            for (int w = 0; w < writers; w++) {
                String id = newId();
                ids.add(id);
                done.add(pool.submit(() -> {
                    try (JdbcRunHistory own = JdbcRunHistory.open(settings, KEEP_ALL)) {
                        go.await();
                        for (int b = 0; b < batches; b++) {
                            List<RunRecord> batch = new ArrayList<>();
                            for (int i = 0; i < perBatch; i++) {
                                int n = b * perBatch + i;
                                batch.add(task(id, "t-" + n, StateType.COMPLETED, at(n), at(n + 1)));
                            }
                            own.write(batch);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(100, TimeUnit.SECONDS);
            }
        }

        for (String id : ids) {
            assertThat(history.countTaskRuns(id))
                    .containsExactly(Map.entry(StateType.COMPLETED, (long) batches * perBatch));
        }
    }

    @Test
    void shouldRefuseWorkOnceClosed() {
        history.close();

        assertThatThrownBy(() -> history.flowRuns(RunQuery.all()))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("The run-history database ")
                .hasMessageEndingWith(" is closed");
        history.close(); // again: nothing
    }
}
