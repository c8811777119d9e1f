package dev.weft.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.FlowRunFuture;
import dev.weft.contract.ManualScheduler;
import dev.weft.examples.testing.Blocking;
import dev.weft.examples.testing.TaskRunLog;
import dev.weft.examples.testing.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskTimeoutTest {
    private static final String RUN = "Task run 'fetch_quote-[0-9a-f]{8}-0'";

    @Test
    void shouldInterruptTheTryThatHangsAndCompleteOnTheRetry() throws Exception {
        List<String> transcript = Transcript.of(() -> TaskTimeout.main(new String[0]));

        // The retry starts only once the interrupted try has returned, so the lines come in this order.
        assertThat(Transcript.printed(transcript))
                .containsExactly(
                        "request 1 hangs...",
                        "request 1 was interrupted",
                        "request 2 answered",
                        "fetch_quote: Completed(message=null, type=COMPLETED)",
                        "quote: EUR/USD 1.08");
        assertThat(Transcript.logged(transcript))
                .anyMatch(line -> line.matches(RUN + " entered state AwaitingRetry\\(message=\"Try 1 of 2 failed with"
                        + " java.util.concurrent.TimeoutException: " + RUN
                        + " exceeded timeout of 0.2 seconds; try 2 of 2"
                        + " starts at \\d{2}:\\d{2}:\\d{2}\\.\\d{3}, in 0ms\", type=AWAITING_RETRY\\)"))
                .anyMatch(line -> line.matches(RUN + " finished in state Completed\\(message=null, type=COMPLETED\\)"))
                .noneMatch(line -> line.contains("Failed("));
    }

    @Test
    void shouldTimeOutOnlyWhenTheTimeLimitOfTheTryHasPassed() throws Exception {
        ManualScheduler clock = new ManualScheduler();
        CountDownLatch firstRequestHangs = new CountDownLatch(1);
        AtomicReference<String> quote = new AtomicReference<>();

        try (TaskRunLog runs = TaskRunLog.record()) {
            Transcript.of(
                    () -> {
                        // snippet:manual-scheduler
                        FlowRunFuture<String> flow =
                                TaskTimeout.quotes.withScheduler(clock).start();
                        assertThat(Blocking.await(firstRequestHangs)).isTrue(); // the first try's code runs
                        assertThat(clock.asked()).containsExactly(Duration.ofMillis(200)); // its time limit
                        assertThat(flow.isDone()).isFalse(); // the clock stands still: the try hangs on
                        clock.advance(Duration.ofMillis(200)); // the limit strikes, on this thread
                        clock.awaitAsked(2); // the retry, once the interrupted try has returned
                        clock.advance(Duration.ZERO);
                        quote.set(flow.result());
                        // end-snippet:manual-scheduler
                    },
                    line -> {
                        if (line.equals("request 1 hangs...")) {
                            firstRequestHangs.countDown();
                        }
                    });

            assertThat(quote.get()).isEqualTo("EUR/USD 1.08");
            // the first try's limit, the retry at once, the second try's limit (called off when it returned)
            assertThat(clock.asked()).containsExactly(Duration.ofMillis(200), Duration.ZERO, Duration.ofMillis(200));
            assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(200));
            assertThat(runs.lines().stream()
                            .filter(line -> line.matches(RUN + " (entered|finished in) state .*"))
                            .map(line -> line.replaceFirst(".* state (\\w+).*", "$1")))
                    .containsExactly("Running", "AwaitingRetry", "Running", "Completed");
        }
    }
}
