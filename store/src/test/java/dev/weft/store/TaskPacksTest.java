package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.StateType;
import dev.weft.spi.RunRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Property: a pack reads back exactly the records it was made of (times to the microsecond). */
class TaskPacksTest {
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private static RunRecord run(String name, String label, Instant started, Instant ended, String message) {
        return new RunRecord(
                RunRecord.Kind.TASK,
                "flow-run-id",
                null,
                name,
                label,
                message == null ? StateType.COMPLETED : StateType.FAILED,
                message,
                started,
                ended,
                "ForkJoinTaskRunner",
                "weft-forkjoin-1",
                List.of(),
                null);
    }

    @Test
    void shouldReadBackNamesThatEndInANumberAndNamesThatDoNot() {
        List<String> names = List.of(
                "square-1a2b3c4d-0",
                "square-1a2b3c4d-1",
                "square-1a2b3c4d-10",
                "square-1a2b3c4d-007", // leading zeros: not a number that reads back the same
                "square-1a2b3c4d-",
                "square-1a2b3c4d-1-2",
                "-5",
                "-",
                "5",
                "no hyphen",
                "big-1234567890123456789", // more digits than a long keeps
                "big-999999999999999999",
                "naïve-日本-3",
                "square-1a2b3c4d-2");
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            runs.add(run(names.get(i), "square", T0.plusMillis(i), T0.plusMillis(i + 5), null));
        }

        TaskPacks.Pack pack = new TaskPacks().pack(runs, 0, runs.size());

        assertThat(TaskPacks.unpack("flow-run-id", pack.data())).containsExactlyElementsOf(runs);
        assertThat(pack.runs()).isEqualTo(names.size());
    }

    @Test
    void shouldKeepTimesThatGoBackMissingTimesAndWhatIsCounted() {
        List<RunRecord> runs = List.of(
                run("a-0", "a", T0.plusSeconds(10), T0.plusSeconds(20), null),
                run("a-1", "a", T0.plusSeconds(30), T0.plusSeconds(5), "went back"), // ends before it starts
                run("a-2", "a", null, T0.plusSeconds(1), "never started"),
                run("a-3", "a", T0.minusSeconds(100_000), null, null),
                run("a-4", "a", null, null, null));

        TaskPacks.Pack pack = new TaskPacks().pack(runs, 0, runs.size());

        assertThat(TaskPacks.unpack("flow-run-id", pack.data())).containsExactlyElementsOf(runs);
        assertThat(pack.startedMin()).isEqualTo(HistoryTables.micros(T0.minusSeconds(100_000)));
        assertThat(pack.endedMax()).isEqualTo(HistoryTables.micros(T0.plusSeconds(20)));
        assertThat(pack.counts()[StateCodes.code(StateType.COMPLETED)]).isEqualTo(3);
        assertThat(pack.counts()[StateCodes.code(StateType.FAILED)]).isEqualTo(2);
    }

    @Test
    void shouldPackASliceAndStartEachPackAfresh() {
        TaskPacks packer = new TaskPacks();
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            runs.add(run((i < 5 ? "first-" : "second-") + i, "t", T0.plusMillis(i), T0.plusMillis(i + 1), null));
        }

        byte[] first = packer.pack(runs, 0, 5).data();
        byte[] second = packer.pack(runs, 5, 10).data();

        assertThat(TaskPacks.unpack("flow-run-id", first)).containsExactlyElementsOf(runs.subList(0, 5));
        assertThat(TaskPacks.unpack("flow-run-id", second)).containsExactlyElementsOf(runs.subList(5, 10));
    }

    @Test
    void shouldRefuseBytesThatAreNoPackItReads() {
        assertThatThrownBy(() -> TaskPacks.unpack("id", new byte[] {2, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> TaskPacks.unpack("id", new byte[] {1, 1, 0, (byte) 0x80}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends too soon");
    }
}
