package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.StateType;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The history a process keeps in memory: a later written record of a run replaces the earlier one,
 * appended task runs are kept as given, and reads take both; it never holds more records than its bound.
 */
final class InMemoryHistoryTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    private static RunRecord flow(String id, StateType state, Instant ended) {
        return new RunRecord(
                RunRecord.Kind.FLOW, id, null, "run-" + id, "etl", state, null, T0, ended, "R", null, List.of(), "1@h");
    }

    private static RunRecord task(String flowRunId, String name, StateType state, Instant started, Instant ended) {
        return new RunRecord(
                RunRecord.Kind.TASK,
                flowRunId,
                null,
                name,
                "t",
                state,
                null,
                started,
                ended,
                "R",
                "w",
                List.of(),
                null);
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static List<String> names(List<RunRecord> records) {
        return records.stream().map(RunRecord::name).toList();
    }

    @Test
    void shouldReadWrittenAndAppendedTaskRunsAsOne() {
        InMemoryHistory history = new InMemoryHistory(100);
        history.append(List.of(
                flow("f", StateType.RUNNING, null),
                task("f", "c-0", StateType.COMPLETED, at(3), at(4)),
                task("f", "never-0", StateType.CANCELLED, null, at(9))));
        history.write(List.of(task("f", "a-0", StateType.FAILED, at(1), at(8))));
        history.write(List.of(task("f", "a-0", StateType.COMPLETED, at(1), at(7)))); // replaces the one before
        history.append(
                List.of(task("f", "b-0", StateType.COMPLETED, at(2), at(3)), flow("f", StateType.COMPLETED, at(10))));

        assertThat(names(history.taskRuns("f", null, 10))).containsExactly("a-0", "b-0", "c-0", "never-0");
        assertThat(names(history.taskRuns("f", StateType.COMPLETED, 2))).containsExactly("a-0", "b-0");
        assertThat(names(history.latestTaskRuns("f", 10))).containsExactly("never-0", "a-0", "c-0", "b-0");
        assertThat(names(history.latestTaskRuns("f", 1))).containsExactly("never-0");
        assertThat(history.countTaskRuns("f"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(StateType.COMPLETED, 3L, StateType.CANCELLED, 1L));
        assertThat(history.flowRun("f")).map(RunRecord::state).contains(StateType.COMPLETED);
    }

    @Test
    void shouldDropTheOldestEndedFlowRunsWholeBeyondItsBound() {
        InMemoryHistory history = new InMemoryHistory(5);
        history.append(List.of(
                flow("old", StateType.COMPLETED, at(1)),
                task("old", "a-0", StateType.COMPLETED, at(0), at(1)),
                task("old", "a-1", StateType.COMPLETED, at(0), at(1))));
        history.append(List.of(
                flow("new", StateType.RUNNING, null),
                task("new", "b-0", StateType.COMPLETED, at(2), at(3)),
                task("new", "b-1", StateType.COMPLETED, at(2), at(3))));

        assertThat(history.flowRuns(RunQuery.all()))
                .extracting(RunRecord::flowRunId)
                .containsExactly("new");
        assertThat(history.taskRuns("old", null, 10)).isEmpty();
        assertThat(names(history.taskRuns("new", null, 10))).containsExactly("b-0", "b-1");
        history.append(List.of(flow("new", StateType.COMPLETED, at(4))));
        assertThat(history.remove(RunQuery.all())).isEqualTo(1);
        assertThat(history.countTaskRuns("new")).isEmpty();
    }
}
