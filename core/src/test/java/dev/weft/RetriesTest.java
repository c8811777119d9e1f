package dev.weft;

import static dev.weft.contract.Conditions.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.contract.LogCapture;
import dev.weft.contract.ManualScheduler;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Retries: how many, after which delays, which failures; what a run holds between tries. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class RetriesTest {

    /** Fails its first {@code failures} tries, then returns the try's number. */
    static Task0<Integer> flaky(String name, int failures, AtomicInteger tries) {
        return Task.of(name, () -> {
            int n = tries.incrementAndGet();
            if (n <= failures) {
                throw new IOException("try " + n + " failed");
            }
            return n;
        });
    }

    @Test
    void shouldSucceedOnTheThirdTryAfterTheDelaysItWasGiven() throws InterruptedException {
        ManualScheduler clock = new ManualScheduler();
        AtomicInteger tries = new AtomicInteger();
        Task0<Integer> task = flaky("flaky", 2, tries)
                .withRetries(Retries.of(3).delays(Duration.ofSeconds(1), Duration.ofSeconds(10)));
        AtomicReference<TaskFuture<Integer>> run = new AtomicReference<>();
        FlowRunFuture<Integer> flow = Flow.of("retries", new ConcurrentTaskRunner(), () -> {
                    run.set(task.submit());
                    return run.get().result();
                })
                .withScheduler(clock)
                .start();

        clock.awaitAsked(1);
        await(
                "the first retry to wait",
                () -> run.get() != null && run.get().state().type() == StateType.AWAITING_RETRY);
        assertThat(run.get().state().message())
                .startsWith("Try 1 of 4 failed with java.io.IOException: try 1 failed;" + " try 2 of 4 starts at ");
        assertThat(run.get().state().message()).endsWith(", in 1s");
        clock.advance(Duration.ofSeconds(1));
        clock.awaitAsked(2);
        clock.advance(Duration.ofSeconds(10));

        assertThat(flow.result()).isEqualTo(3);
        assertThat(tries).hasValue(3);
        assertThat(clock.asked()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(((dev.weft.internal.Node<?>) run.get()).history())
                .isEqualTo("Pending -> Running -> AwaitingRetry -> Running -> AwaitingRetry -> Running -> Completed");
    }

    @Test
    void shouldSayWhichTryFailedAndWhenTheNextStarts() {
        AtomicInteger tries = new AtomicInteger();
        Task0<Integer> task = flaky("flaky", 1, tries).withRetries(1);
        try (LogCapture logs = LogCapture.start()) {
            int value = Flow.of("logs", new ConcurrentTaskRunner(), () -> task.submit()
                            .result())
                    .call();
            assertThat(value).isEqualTo(2);
            assertThat(logs.lines())
                    .anyMatch(line -> line.matches("Task run 'flaky-[0-9a-f]{8}-0' entered state AwaitingRetry\\("
                            + "message='Try 1 of 2 failed with java.io.IOException: try 1 failed; try 2 of 2 starts at"
                            + " \\d\\d:\\d\\d:\\d\\d\\.\\d{3}, in 0ms', type=AWAITING_RETRY\\)"));
        }
    }

    @Test
    void shouldFailWithTheLastTrysExceptionOnceTheRetriesAreSpent() {
        AtomicInteger tries = new AtomicInteger();
        Task0<Integer> task = flaky("always", 99, tries).withRetries(2);
        State<Integer> state = Flow.of(
                        "spent", new ConcurrentTaskRunner(), () -> task.submit().result())
                .callForState();
        assertThat(tries).hasValue(3);
        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(state.exception()).rootCause().hasMessage("try 3 failed");
    }

    @Test
    void shouldRetryOnlyTheFailuresTheConditionAccepts() {
        AtomicInteger tries = new AtomicInteger();
        Task0<Integer> task = Task.<Integer>of("picky", () -> {
                    tries.incrementAndGet();
                    throw new IllegalArgumentException("never better");
                })
                .withRetries(Retries.of(5).when(e -> e instanceof IOException));
        State<Integer> state = Flow.of(
                        "picky", new ConcurrentTaskRunner(), () -> task.submit().result())
                .callForState();
        assertThat(tries).hasValue(1);
        assertThat(state.type()).isEqualTo(StateType.FAILED);
    }

    @Test
    void shouldRetryACallInPlaceOnTheCallingThread() {
        AtomicInteger tries = new AtomicInteger();
        Task0<Integer> task = flaky("in_place", 2, tries).withRetries(2);
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        int value = Flow.of("in-place", new ConcurrentTaskRunner(), () -> {
                    int v = task.call();
                    ranOn.set(Thread.currentThread());
                    return v;
                })
                .call();
        assertThat(value).isEqualTo(3);
        assertThat(ranOn.get()).isSameAs(caller);
    }

    @Test
    void shouldHoldNoSlotAndNoResourceBetweenTries() throws InterruptedException {
        SlotStore previous = SlotStores.use(SlotStores.inMemory());
        try {
            WeftClient.open().createConcurrencyLimit("db", 1);
            ManualScheduler clock = new ManualScheduler();
            AtomicInteger tries = new AtomicInteger();
            Task0<Integer> task = flaky("flaky", 1, tries)
                    .withTags("db")
                    .withResources(Map.of("process", 1))
                    .withRetries(1, Duration.ofMinutes(5));
            Task0<String> other =
                    Task.of("other", () -> "ran between tries").withTags("db").withResources(Map.of("process", 1));
            AtomicReference<TaskFuture<Integer>> flakyRun = new AtomicReference<>();
            AtomicReference<String> between = new AtomicReference<>();
            FlowRunFuture<Integer> flow = Flow.of("between", new ConcurrentTaskRunner(Map.of("process", 1)), () -> {
                        TaskFuture<Integer> f = task.submit();
                        flakyRun.set(f);
                        await("the retry to wait", () -> f.state().type() == StateType.AWAITING_RETRY);
                        between.set(other.submit().result()); // needs the slot and the process the retry gave back
                        return f.result();
                    })
                    .withScheduler(clock)
                    .start();
            clock.awaitAsked(1);
            await("the other run to take the slot and end", () -> between.get() != null);
            clock.advance(Duration.ofMinutes(5));
            assertThat(flow.result()).isEqualTo(2);
            assertThat(between.get()).isEqualTo("ran between tries");
        } finally {
            SlotStores.use(previous);
        }
    }

    @Test
    void shouldRetryAnAsynchronousTaskWhoseStageFailed() {
        AtomicInteger tries = new AtomicInteger();
        Task0<Integer> task = Task.async(
                        "async",
                        () -> tries.incrementAndGet() < 3
                                ? CompletableFuture.<Integer>failedFuture(
                                        new UncheckedIOException(new IOException("no")))
                                : CompletableFuture.completedFuture(tries.get()))
                .withRetries(2);
        assertThat(Flow.of("async", new ConcurrentTaskRunner(), () -> task.submit()
                                .result())
                        .call())
                .isEqualTo(3);
    }

    @Test
    void shouldComputeDelaysFromThePolicy() {
        Retries backoff = Retries.of(5).exponentialBackoff(Duration.ofSeconds(1));
        assertThat(List.of(
                        backoff.delayBefore(1), backoff.delayBefore(2), backoff.delayBefore(3), backoff.delayBefore(4)))
                .containsExactly(
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
        Retries list = Retries.of(4).delays(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(list.delayBefore(3)).isEqualTo(Duration.ofSeconds(10));
        Retries jittered = Retries.of(1).delay(Duration.ofSeconds(10)).jitter(0.5);
        for (int i = 0; i < 100; i++) {
            assertThat(jittered.delayBefore(1)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(15));
        }
        assertThatThrownBy(() -> Retries.of(-1)).hasMessage("The number of retries must be 0 or more, not -1");
        assertThatThrownBy(() -> Retries.of(1).delay(Duration.ofSeconds(-1)))
                .hasMessage("A retry delay must be zero or more, not PT-1S");
        assertThatThrownBy(() -> Retries.of(1).jitter(-0.1)).hasMessage("A jitter factor must be 0 or more, not -0.1");
    }
}
