package dev.weft.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.FlowRunFuture;
import dev.weft.State;
import dev.weft.contract.ManualScheduler;
import dev.weft.examples.testing.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlakyDownloadTest {
    private static final String REPORT_RUN = "Task run 'download-[0-9a-f]{8}-0'";
    private static final String TYPO_RUN = "Task run 'download-[0-9a-f]{8}-1'";
    private static final String AT = "\\d{2}:\\d{2}:\\d{2}\\.\\d{3}";

    @Test
    void shouldGetTheFileOnTheThirdTryAndFailTheBadRequestAtOnce() throws Exception {
        List<String> transcript = Transcript.of(() -> FlakyDownload.main(new String[0]));

        assertThat(printedByTheExample(transcript))
                .containsExactly(
                        "/report.csv: try 3 succeeded",
                        "/report.csv: Completed(message=null, type=COMPLETED)",
                        "report.csv: Failed(message='Task run encountered an exception:"
                                + " java.lang.IllegalArgumentException: a path must be absolute, not report.csv',"
                                + " type=FAILED)",
                        "downloads: Failed(message='1/2 states failed.', type=FAILED)");
        List<String> logged = Transcript.logged(transcript);
        assertThat(logged.stream().filter(line -> line.contains("entered state AwaitingRetry")))
                .satisfiesExactly(
                        first -> assertThat(first)
                                .matches(REPORT_RUN + " entered state AwaitingRetry\\(message='Try 1 of 4 failed with"
                                        + " java.io.IOException: connection reset; try 2 of 4 starts at " + AT
                                        + ", in 100ms', type=AWAITING_RETRY\\)"),
                        second -> assertThat(second)
                                .matches(REPORT_RUN + " entered state AwaitingRetry\\(message='Try 2 of 4 failed with"
                                        + " java.io.IOException: connection reset; try 3 of 4 starts at " + AT
                                        + ", in 200ms', type=AWAITING_RETRY\\)"));
        assertThat(logged)
                .anyMatch(line -> line.matches(REPORT_RUN + " finished in state Completed\\(.*"))
                .anyMatch(line -> line.matches(TYPO_RUN + " finished in state Failed\\(.*"))
                .noneMatch(line -> line.matches(TYPO_RUN + " entered state AwaitingRetry.*"))
                .anyMatch(line -> line.matches(
                        "Flow run '[a-z]+-[a-z]+' finished in state Failed\\(message='1/2 states failed.', .*"));
    }

    @Test
    void shouldWaitTwiceAsLongBeforeEachRetryAsBeforeTheLast() throws Exception {
        ManualScheduler clock = new ManualScheduler();
        AtomicReference<FlowRunFuture<Void>> flow = new AtomicReference<>();
        AtomicReference<State<Void>> state = new AtomicReference<>();

        List<String> transcript = Transcript.of(() -> {
            flow.set(FlakyDownload.downloads.withScheduler(clock).start());
            clock.awaitAsked(1);
            assertThat(clock.asked()).containsExactly(Duration.ofMillis(100));
            assertThat(flow.get().isDone()).isFalse(); // the clock stands still: the retry waits
            clock.advance(Duration.ofMillis(100));
            clock.awaitAsked(2);
            assertThat(clock.asked()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
            assertThat(flow.get().isDone()).isFalse();
            clock.advance(Duration.ofMillis(200));
            state.set(flow.get().await());
        });

        assertThat(clock.asked()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(300));
        assertThat(Transcript.printed(transcript)).contains("/report.csv: try 3 succeeded");
        assertThat(state.get().isFailed()).isTrue();
        assertThat(state.get().message()).isEqualTo("1/2 states failed.");
        assertThat(state.get().exception())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a path must be absolute, not report.csv");
    }

    /** The example's own lines: the other lines of a transcript are log lines and a failure's stack trace. */
    private static List<String> printedByTheExample(List<String> transcript) {
        return Transcript.printed(transcript).stream()
                .filter(line -> line.startsWith("/report.csv: ")
                        || line.startsWith("report.csv: ")
                        || line.startsWith("downloads: "))
                .toList();
    }
}
