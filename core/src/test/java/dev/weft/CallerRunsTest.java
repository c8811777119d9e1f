package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.contract.FixedThreadsTaskRunner;
import dev.weft.runner.Placement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A placement that lets callers run ({@link Placement.Builder#callerRuns()}): the thread that waits for a
 * placed call runs it, once, where it may; the runner's thread that comes to it later does nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class CallerRunsTest {

    /** A runner whose launcher holds the placed calls until the test runs them: a runner's slow thread. */
    static final class HeldTaskRunner implements TaskRunner {
        final ConcurrentLinkedQueue<Placement.Placed> held = new ConcurrentLinkedQueue<>();
        final Placement placement = Placement.builder("HeldTaskRunner")
                .worker("w", Resources.NONE, 2)
                .callerRuns()
                .launcher(held::add)
                .build();

        /** Runs the held calls on a thread of their own, as the runner's thread would, and waits for it. */
        void runHeld() throws InterruptedException {
            Thread t = Thread.ofPlatform().name("held-runner").start(() -> {
                Placement.Placed p;
                while ((p = held.poll()) != null) {
                    p.run();
                }
            });
            t.join();
        }

        @Override
        public void start() {}

        @Override
        public void submit(Call call) {
            placement.submit(call);
        }

        @Override
        public void shutdown() {}

        @Override
        public TaskRunner duplicate() {
            return this; // one flow run per test: the test reads this one's placement
        }
    }

    /** A task that returns {@code value} and records the name of the thread it ran on. */
    private static Task0<String> recordingThread(String name, String value, AtomicReference<String> ranOn) {
        return Task.of(name, () -> {
            ranOn.set(Thread.currentThread().getName());
            return value;
        });
    }

    @Test
    void shouldRunACallOnTheThreadThatWaitsForItOnceAndNeverAgain() throws Exception {
        HeldTaskRunner runner = new HeldTaskRunner();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<String> ranOn = new AtomicReference<>();
        Task1<Integer, Integer> twice = Task.of("twice", (Integer x) -> {
            calls.incrementAndGet();
            ranOn.set(Thread.currentThread().getName());
            return 2 * x;
        });
        AtomicReference<String> body = new AtomicReference<>();
        State<Integer> state = Flow.of("caller-runs", runner, () -> {
                    body.set(Thread.currentThread().getName());
                    return twice.submit(21).result();
                })
                .callForState();

        assertThat(state.result()).isEqualTo(42);
        assertThat(ranOn.get()).isEqualTo(body.get());
        // held for the body, which ran it; the runner gets it only if the body took longer than the hold
        runner.runHeld(); // and then its thread, coming to it late, does nothing
        assertThat(calls.get()).isEqualTo(1);
        assertThat(runner.placement.busySlots("w")).isZero();
    }

    @Test
    void shouldDoNothingWhenTheRunnersThreadComesToACallItsCallerRan() throws Exception {
        HeldTaskRunner runner = new HeldTaskRunner();
        AtomicInteger calls = new AtomicInteger();
        Task1<Integer, Integer> twice = Task.of("twice", (Integer x) -> {
            calls.incrementAndGet();
            return 2 * x;
        });
        State<Integer> state = Flow.of("late-runner", runner, () -> {
                    TaskFuture<Integer> first = twice.submit(1);
                    TaskFuture<Integer> second = twice.submit(2); // submitting again launches the first
                    return first.result() + second.result(); // the body takes both before the runner's thread
                })
                .callForState();

        assertThat(state.result()).isEqualTo(6);
        // the first launched as the body submitted the second; the second as the body went to run the first,
        // so that it could run meanwhile on a thread of the runner
        assertThat(runner.held).hasSize(2);
        runner.runHeld(); // the runner's thread comes to it late: it does nothing
        assertThat(calls.get()).isEqualTo(2);
        assertThat(runner.placement.busySlots("w")).isZero();
    }

    @Test
    void shouldLaunchAHeldCallWhoseSubmitterDoesOtherWork() throws Exception {
        HeldTaskRunner runner = new HeldTaskRunner();
        State<String> state = Flow.of("other-work", runner, () -> {
                    TaskFuture<String> f = Task.of("late", () -> "ran").submit();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (runner.held.isEmpty() && System.nanoTime() < deadline) {
                        Thread.onSpinWait(); // busy with something that is not Weft's: the call is launched anyway
                    }
                    runner.runHeld();
                    return f.result();
                })
                .callForState();
        assertThat(runner.held).isEmpty();
        assertThat(state.result()).isEqualTo("ran");
    }

    @Test
    void shouldNotRunACallOnAThreadThatWaitsWithATimeLimit() throws Exception {
        HeldTaskRunner runner = new HeldTaskRunner();
        AtomicReference<String> ranOn = new AtomicReference<>();
        Task0<String> where = recordingThread("where", "ran", ranOn);
        AtomicReference<Boolean> answered = new AtomicReference<>();
        var flow = Flow.of("timed-wait", runner, () -> {
                    TaskFuture<String> f = where.submit();
                    answered.set(f.await(Duration.ofMillis(200)).isPresent()); // a run can outlast a deadline
                })
                .start();
        while (runner.held.isEmpty() || answered.get() == null) {
            Thread.sleep(5);
        }
        assertThat(answered.get())
                .as("the timed wait answered in time, the run not ended")
                .isFalse();
        runner.runHeld();
        assertThat(flow.await().type()).isEqualTo(StateType.COMPLETED);
        assertThat(ranOn.get()).isEqualTo("held-runner");
    }

    @Test
    void shouldNotRunACallOnAThreadThatRunsATaskRunOfItsOwn() throws Exception {
        HeldTaskRunner runner = new HeldTaskRunner();
        AtomicReference<String> ranOn = new AtomicReference<>();
        Task0<String> inner = recordingThread("inner", "inner", ranOn);
        Task0<String> outer = Task.of("outer", () -> inner.submit().result());
        var flow = Flow.of("nested-wait", runner, () -> outer.call()).start(); // outer runs in place, on the body
        while (runner.held.isEmpty()) {
            Thread.sleep(5);
        }
        Thread.sleep(100);
        assertThat(ranOn.get())
                .as("the waiting task run's thread runs no call of its runner")
                .isNull();
        runner.runHeld();
        assertThat(flow.await().result()).isEqualTo("inner");
        assertThat(ranOn.get()).isEqualTo("held-runner");
    }

    @Test
    void shouldRunEveryCallOnceWhenTheRunnersThreadsAndTheCallerRace() {
        // Two threads of the runner and the body race for each call: whichever takes it runs it, once.
        int n = 5_000;
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger onBody = new AtomicInteger();
        Task1<Integer, Integer> inc = Task.of("inc", (Integer x) -> {
            calls.incrementAndGet();
            if (Thread.currentThread().getName().startsWith("weft-flow-")) {
                onBody.incrementAndGet();
            }
            return x + 1;
        });
        State<Long> state = Flow.of("race", new FixedThreadsTaskRunner(2, Map.of(), true), () -> {
                    long sum = 0;
                    for (int i = 0; i < n; i++) {
                        sum += inc.submit(i).result(); // one at a time: the caller waits at once
                    }
                    List<TaskFuture<Integer>> all = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        all.add(inc.submit(i)); // many at once: most are run by the runner's threads
                    }
                    for (TaskFuture<Integer> f : all) {
                        sum += f.result();
                    }
                    return sum;
                })
                .start()
                .await();
        long expected = 2L * ((long) n * (n - 1) / 2 + n);
        assertThat(state.result()).isEqualTo(expected);
        assertThat(calls.get()).isEqualTo(2 * n);
        assertThat(onBody.get()).as("calls run by the waiting body").isPositive();
    }
}
