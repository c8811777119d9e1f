package dev.weft.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.TaskRunLog;
import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CancelRunsTest {
    private static final String INTERRUPTED = "the download of https://example.com/sales.csv was interrupted";

    @Test
    void shouldNeverStartTheCancelledRunNorItsDownstreamAndInterruptTheRunningOne() throws Exception {
        List<String> printed = Transcript.printed(Transcript.of(() -> CancelRuns.main(new String[0])));

        assertThat(printed.stream().filter(line -> !line.equals(INTERRUPTED)))
                .satisfiesExactly(
                        line -> assertThat(line).isEqualTo("downloading https://example.com/sales.csv..."),
                        line -> assertThat(line)
                                .isEqualTo("parse: Cancelled(message='Cancelled by the user before it started',"
                                        + " type=CANCELLED)"),
                        line -> assertThat(line)
                                .matches("publish: Cancelled\\(message=\"Upstream task run 'parse-[0-9a-f]{8}-0'"
                                        + " was cancelled\", type=CANCELLED\\)"),
                        line -> assertThat(line)
                                .isEqualTo("download: Cancelled(message='Cancelled by the user; the run was"
                                        + " interrupted while it ran', type=CANCELLED)"),
                        line -> assertThat(line)
                                .isEqualTo("report: Cancelled(message='3/3 states cancelled.', type=CANCELLED)"),
                        line -> assertThat(line).isEqualTo("downloading https://example.com/sales.csv..."),
                        line -> assertThat(line)
                                .isEqualTo("nightly-sync: Cancelled(message='The flow run was cancelled; 1/1 states"
                                        + " cancelled.', type=CANCELLED)"));
        // Both downloads saw their interrupt and returned before their flow run ended: neither final state
        // says that a cancelled run ignored it.
        assertThat(printed).filteredOn(INTERRUPTED::equals).hasSize(2);
        assertThat(printed).noneMatch(line -> line.startsWith("published"));
    }

    @Test
    void shouldEndBothFlowRunsCancelledAndLogEachCancelledRun() throws Exception {
        List<String> logged;
        List<String> states;
        try (TaskRunLog runs = TaskRunLog.record()) {
            logged = Transcript.logged(Transcript.of(() -> CancelRuns.main(new String[0])));
            states = runs.lines();
        }

        assertThat(logged.stream().filter(line -> line.contains(" finished in state ")))
                .satisfiesExactly(
                        line -> assertThat(line)
                                .matches("Task run 'parse-[0-9a-f]{8}-0' finished in state Cancelled\\(message="
                                        + "'Cancelled by the user before it started', type=CANCELLED\\)"),
                        line -> assertThat(line)
                                .matches("Task run 'publish-[0-9a-f]{8}-0' finished in state Cancelled\\(.*"),
                        line -> assertThat(line)
                                .matches("Task run 'download-[0-9a-f]{8}-0' finished in state Cancelled\\(message="
                                        + "'Cancelled by the user; the run was interrupted while it ran',"
                                        + " type=CANCELLED\\)"),
                        line -> assertThat(line)
                                .matches("Flow run '[a-z]+-[a-z]+' finished in state Cancelled\\(message="
                                        + "'3/3 states cancelled.', type=CANCELLED\\)"),
                        line -> assertThat(line)
                                .matches("Task run 'download-[0-9a-f]{8}-0' finished in state Cancelled\\(message="
                                        + "'The flow run was cancelled; the run was interrupted while it ran',"
                                        + " type=CANCELLED\\)"),
                        line -> assertThat(line)
                                .matches("Flow run '[a-z]+-[a-z]+' finished in state Cancelled\\(message="
                                        + "'The flow run was cancelled; 1/1 states cancelled.', type=CANCELLED\\)"));
        assertThat(states)
                .noneMatch(line -> line.matches("Task run '(parse|publish)-.* entered state Running"))
                .filteredOn(line -> line.matches("Task run 'download-.* entered state Running"))
                .hasSize(2);
    }
}
