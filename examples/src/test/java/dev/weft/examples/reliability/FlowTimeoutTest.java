package dev.weft.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.FlowRunFuture;
import dev.weft.State;
import dev.weft.contract.ManualScheduler;
import dev.weft.examples.testing.Blocking;
import dev.weft.examples.testing.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlowTimeoutTest {

    @Test
    void shouldFailTheFlowRunAndNeverStartTheQueuedExports() throws Exception {
        List<String> printed = Transcript.printed(Transcript.of(() -> FlowTimeout.main(new String[0])));

        // The big export takes a minute: the flow run times out while it runs, whatever the machine's speed.
        assertThat(printed)
                .startsWith("exporting users...", "exporting orders...", "exporting events...")
                .doesNotContain("exporting invoices...", "exporting payments...")
                .last()
                .asString()
                .matches(
                        "exports: TimedOut\\(message='Flow run exceeded timeout of 0.3 seconds; [1-5]/5 states cancelled.',"
                                + " type=FAILED\\)");
    }

    @Test
    void shouldCancelTheRunningAndTheWaitingExportsWhenTheTimeLimitStrikes() throws Exception {
        ManualScheduler clock = new ManualScheduler();
        CountDownLatch bigExportRuns = new CountDownLatch(1);
        AtomicReference<State<Void>> state = new AtomicReference<>();

        List<String> transcript = Transcript.of(
                () -> {
                    FlowRunFuture<Void> flow =
                            FlowTimeout.exports.withScheduler(clock).start();
                    assertThat(Blocking.await(bigExportRuns)).isTrue();
                    assertThat(clock.asked()).containsExactly(Duration.ofMillis(300)); // the flow run's limit
                    clock.advance(Duration.ofMillis(300));
                    state.set(flow.await());
                },
                line -> {
                    if (line.equals("exporting events...")) {
                        bigExportRuns.countDown();
                    }
                });

        assertThat(state.get().isFailed()).isTrue();
        assertThat(state.get().message()).isEqualTo("Flow run exceeded timeout of 0.3 seconds; 3/5 states cancelled.");
        assertThat(state.get().exception())
                .isInstanceOf(TimeoutException.class)
                .hasMessageMatching("Flow run '[a-z]+-[a-z]+' exceeded timeout of 0.3 seconds");
        assertThat(Transcript.logged(transcript).stream()
                        .filter(line -> line.startsWith("Task run 'export-"))
                        .map(line -> line.replaceFirst("-[0-9a-f]{8}-", "-KEY-")))
                .containsExactlyInAnyOrder(
                        "Task run 'export-KEY-0' finished in state Completed(message=null, type=COMPLETED)",
                        "Task run 'export-KEY-1' finished in state Completed(message=null, type=COMPLETED)",
                        "Task run 'export-KEY-2' finished in state Cancelled(message='The flow run timed out after"
                                + " 300ms; the run was interrupted while it ran', type=CANCELLED)",
                        "Task run 'export-KEY-3' finished in state Cancelled(message='The flow run timed out after"
                                + " 300ms before it started', type=CANCELLED)",
                        "Task run 'export-KEY-4' finished in state Cancelled(message='The flow run timed out after"
                                + " 300ms before it started', type=CANCELLED)");
    }
}
