package dev.weft;

import static dev.weft.contract.Conditions.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.contract.ManualScheduler;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Task and flow timeouts, and cancelling runs and flow runs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class TimeoutsAndCancellationTest {
    private SlotStore previous;

    @BeforeEach
    void limitsInMemory() {
        previous = SlotStores.use(SlotStores.inMemory());
    }

    @AfterEach
    void restore() {
        SlotStores.use(previous);
    }

    /** Blocks until released; records whether it was interrupted. */
    static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();

        int pass() throws InterruptedException {
            entered.countDown();
            try {
                release.await();
                return 1;
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        }

        /** Ignores interrupts until released. */
        int passStubbornly() {
            entered.countDown();
            boolean wasInterrupted = false;
            for (; ; ) {
                try {
                    release.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    wasInterrupted = true;
                }
            }
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }
    }

    @Test
    void shouldFailATryThatRunsPastItsTimeoutAndInterruptItsThread() throws InterruptedException {
        ManualScheduler clock = new ManualScheduler();
        Gate gate = new Gate();
        Task0<Integer> slow = Task.of("slow", gate::pass).withTimeout(Duration.ofMillis(250));
        AtomicReference<TaskFuture<Integer>> run = new AtomicReference<>();
        FlowRunFuture<Void> flow = Flow.of("timeout", new ConcurrentTaskRunner(), () -> {
                    run.set(slow.submit());
                })
                .withScheduler(clock)
                .start();
        assertThat(gate.entered.await(20, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofMillis(250));

        State<Void> flowState = flow.await();
        State<Integer> state = run.get().await();
        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(state.name()).isEqualTo("TimedOut");
        assertThat(state.message()).isEqualTo("Task run exceeded timeout of 0.25 seconds");
        assertThat(state.exception())
                .isInstanceOf(TimeoutException.class)
                .hasMessageMatching("Task run 'slow-[0-9a-f]{8}-0' exceeded timeout of 0.25 seconds");
        assertThat(flowState.type()).isEqualTo(StateType.FAILED);
        await("the body to see its interrupt", gate.interrupted::get);
    }

    @Test
    void shouldRetryATimedOutTry() throws InterruptedException {
        ManualScheduler clock = new ManualScheduler();
        AtomicInteger tries = new AtomicInteger();
        CountDownLatch firstEntered = new CountDownLatch(1);
        Task0<Integer> task = Task.of("slow_once", () -> {
                    int n = tries.incrementAndGet();
                    if (n == 1) {
                        firstEntered.countDown();
                        new CountDownLatch(1).await(); // until interrupted
                    }
                    return n;
                })
                .withTimeout(Duration.ofSeconds(1))
                .withRetries(1);
        FlowRunFuture<Integer> flow = Flow.of("retry-timeout", new ConcurrentTaskRunner(), () -> task.submit()
                        .result())
                .withScheduler(clock)
                .start();
        assertThat(firstEntered.await(20, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(1)); // the timeout, then the retry (delay 0)
        clock.awaitAsked(2); // the timeout, then the retry
        clock.advance(Duration.ZERO);
        assertThat(flow.result()).isEqualTo(2);
    }

    @Test
    void shouldCancelEveryQueuedRunWhenTheFlowTimesOut() throws InterruptedException {
        WeftClient.open().createConcurrencyLimit("one_at_a_time", 1);
        ManualScheduler clock = new ManualScheduler();
        Gate gate = new Gate();
        Task0<Integer> holder = Task.of("holder", gate::pass).withTags("one_at_a_time");
        Task1<Integer, Integer> queued = Task.of("queued", (Integer i) -> i).withTags("one_at_a_time");
        List<TaskFuture<Integer>> runs = Collections.synchronizedList(new ArrayList<>());
        FlowRunFuture<Void> flow = Flow.of("timed", new ConcurrentTaskRunner(), () -> {
                    runs.add(holder.submit());
                    for (int i = 0; i < 1000; i++) {
                        runs.add(queued.submit(i));
                    }
                    await(
                            "every run to queue",
                            () -> runs.stream().skip(1).allMatch(r -> r.state().type() == StateType.QUEUED));
                    new CountDownLatch(1).await(); // the body waits too, until interrupted
                })
                .withTimeout(Duration.ofMinutes(1))
                .withScheduler(clock)
                .start();
        assertThat(gate.entered.await(20, TimeUnit.SECONDS)).isTrue();
        await(
                "1,000 runs to queue",
                () -> runs.size() == 1001
                        && runs.stream().skip(1).allMatch(r -> r.state().type() == StateType.QUEUED));

        clock.advance(Duration.ofMinutes(1));
        State<Void> state = flow.await();

        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(state.exception()).isInstanceOf(TimeoutException.class);
        assertThat(state.name()).isEqualTo("TimedOut");
        assertThat(state.message()).startsWith("Flow run exceeded timeout of 60 seconds; 1001/1001 states cancelled.");
        assertThat(runs).allSatisfy(r -> assertThat(r.state().type()).isEqualTo(StateType.CANCELLED));
        assertThat(runs.get(1).state().message()).isEqualTo("The flow run timed out after 1m before it started");
        assertThat(gate.interrupted).isTrue();
        assertThat(WeftClient.open()
                        .readConcurrencyLimitByTag("one_at_a_time")
                        .orElseThrow()
                        .activeSlots())
                .isEmpty();
    }

    @Test
    void shouldCancelAPendingRunAndNeverStartWhatDependsOnIt() {
        CompletableFuture<Integer> upstreamStage = new CompletableFuture<>();
        Task0<Integer> upstream = Task.async("upstream", () -> upstreamStage);
        AtomicInteger ran = new AtomicInteger();
        Task1<Integer, Integer> middle = Task.of("middle", (Integer x) -> ran.incrementAndGet());
        Task1<Integer, Integer> last = Task.of("last", (Integer x) -> ran.incrementAndGet());
        AtomicReference<TaskFuture<Integer>> downstream = new AtomicReference<>();
        State<Void> state = Flow.of("pending", new ConcurrentTaskRunner(), () -> {
                    TaskFuture<Integer> u = upstream.submit();
                    TaskFuture<Integer> m = middle.submit(u);
                    downstream.set(last.submit(m));
                    assertThat(m.cancel()).isTrue();
                    assertThat(m.cancel()).isFalse();
                    assertThat(m.state().message()).isEqualTo("Cancelled by the user before it started");
                    upstreamStage.complete(1);
                })
                .callForState();
        assertThat(ran).hasValue(0);
        assertThat(downstream.get().state().type()).isEqualTo(StateType.CANCELLED);
        assertThat(state.type()).isEqualTo(StateType.CANCELLED);
    }

    @Test
    void shouldInterruptARunningRunThatIsCancelledAndGiveBackItsSlotAtOnce() throws InterruptedException {
        WeftClient.open().createConcurrencyLimit("db", 1);
        Gate gate = new Gate();
        Task0<Integer> running = Task.of("running", gate::pass).withTags("db");
        Task0<Integer> next = Task.of("next", () -> 2).withTags("db");
        State<Void> state = Flow.of("cancel-running", new ConcurrentTaskRunner(), () -> {
                    TaskFuture<Integer> r = running.submit();
                    gate.entered.await();
                    TaskFuture<Integer> n = next.submit();
                    await("the next run to queue", () -> n.state().type() == StateType.QUEUED);
                    assertThat(r.cancel()).isTrue();
                    assertThat(r.state().type()).isEqualTo(StateType.CANCELLED);
                    assertThat(r.state().message())
                            .isEqualTo("Cancelled by the user; the run was interrupted while it ran");
                    n.result();
                })
                .callForState();
        assertThat(gate.interrupted).isTrue();
        assertThat(state.type()).isEqualTo(StateType.CANCELLED);
        assertThat(state.message()).isEqualTo("1/2 states cancelled.");
    }

    @Test
    void shouldSayWhenACancelledRunIgnoredItsInterrupt() throws InterruptedException {
        Gate gate = new Gate();
        Task0<Integer> stubborn = Task.of("stubborn", gate::passStubbornly);
        FlowRunFuture<Void> flow = Flow.of("stubborn", new ConcurrentTaskRunner(), () -> {
                    stubborn.submit();
                    new CountDownLatch(1).await();
                })
                .start();
        assertThat(gate.entered.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(flow.cancel()).isTrue();
        State<Void> state = flow.await();
        try {
            assertThat(state.type()).isEqualTo(StateType.CANCELLED);
            assertThat(state.message())
                    .isEqualTo("The flow run was cancelled; 1/1 states cancelled. 1 cancelled run ignored the"
                            + " interrupt and may still be running.");
            assertThat(gate.interrupted).isTrue();
        } finally {
            gate.release.countDown();
        }
    }

    @Test
    void shouldCancelAFlowRunAndItsSubflowRuns() throws InterruptedException {
        Gate gate = new Gate();
        Task0<Integer> inner = Task.of("inner", gate::pass);
        Flow<Integer> subflow =
                Flow.of("sub", new ConcurrentTaskRunner(), () -> inner.submit().result());
        FlowRunFuture<Integer> flow = Flow.of("parent", new ConcurrentTaskRunner(), () -> subflow.call())
                .start();
        assertThat(gate.entered.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(flow.cancel()).isTrue();
        assertThat(flow.cancel()).isFalse();
        State<Integer> state = flow.await();
        assertThat(state.type()).isEqualTo(StateType.CANCELLED);
        assertThat(gate.interrupted).isTrue();
    }
}
