package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.contract.LogCapture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class FlowTest {
    static final Task0<Void> HELLO_LOCAL = Task.of("hello_local", () -> {});
    static final Task0<Void> HELLO_DASK = Task.of("hello_dask", () -> {});

    @Test
    void shouldLogTheSeedsLinesForAFlowWithASubflow() {
        Flow<Void> subflow = Flow.of("dask-subflow", new ConcurrentTaskRunner(), () -> {
            HELLO_DASK.submit();
        });
        Flow<Void> flow = Flow.of("sequential-flow", new SequentialTaskRunner(), () -> {
            HELLO_LOCAL.submit();
            subflow.call();
            HELLO_LOCAL.submit();
        });
        List<String> lines;
        try (LogCapture logs = LogCapture.start()) {
            flow.call();
            lines = logs.lines();
        }
        String name = "'[a-z]+-[a-z]+'";
        String completed = "Completed\\(message=null, type=COMPLETED\\)";
        String all = "Completed\\(message='All states completed.', type=COMPLETED\\)";
        String local = "'hello_local-" + HELLO_LOCAL.key();
        String dask = "'hello_dask-" + HELLO_DASK.key();
        String[] expected = {
            "Beginning flow run " + name + " for flow 'sequential-flow'\\.\\.\\.",
            "Starting task runner `SequentialTaskRunner`\\.\\.\\.",
            "Submitting task run " + local + "-0' to task runner\\.\\.\\.",
            "Task run " + local + "-0' finished in state " + completed,
            "Beginning subflow run " + name + " for flow 'dask-subflow'\\.\\.\\.",
            "Starting task runner `ConcurrentTaskRunner`\\.\\.\\.",
            "Submitting task run " + dask + "-0' to task runner\\.\\.\\.",
            "Task run " + dask + "-0' finished in state " + completed,
            "Shutting down task runner `ConcurrentTaskRunner`\\.\\.\\.",
            "Subflow run " + name + " finished in state " + all,
            "Submitting task run " + local + "-1' to task runner\\.\\.\\.",
            "Task run " + local + "-1' finished in state " + completed,
            "Shutting down task runner `SequentialTaskRunner`\\.\\.\\.",
            "Flow run " + name + " finished in state " + all,
        };
        List<String> withoutRunning =
                lines.stream().filter(l -> !l.contains("entered state")).toList();
        assertThat(withoutRunning).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(withoutRunning.get(i)).as("line %d", i).matches(expected[i]);
        }
    }

    @Test
    void shouldFailWithTheBodysExceptionAndStillWaitForItsRuns() {
        IllegalStateException thrown = new IllegalStateException("body failed");
        AtomicBoolean taskRan = new AtomicBoolean();
        Task0<Void> slow = Task.of("slow", () -> {
            Thread.sleep(50);
            taskRan.set(true);
        });
        Flow<Void> flow = Flow.of("failing-body", () -> {
            slow.submit();
            throw thrown;
        });
        State<Void> state = flow.callForState();
        assertThat(taskRan).isTrue();
        assertThat(state.toString())
                .isEqualTo("Failed(message='Flow run encountered an exception: java.lang.IllegalStateException:"
                        + " body failed', type=FAILED)");
        assertThatThrownBy(flow::call)
                .isInstanceOf(RunFailedException.class)
                .hasMessageMatching("Flow run '[a-z]+-[a-z]+' finished in state Failed: Flow run encountered an"
                        + " exception: java.lang.IllegalStateException: body failed")
                .hasCause(thrown);
    }

    @Test
    void shouldCompleteAFlowWithNoRuns() {
        assertThat(Flow.of("empty", () -> 7).callForState().toString())
                .isEqualTo("Completed(message='All states completed.', type=COMPLETED)");
    }

    @Test
    void shouldCountAFailedSubflowAsAFailedRunOfItsParent() {
        Task0<Void> boom = Task.of("boom", () -> {
            throw new IllegalStateException("deep");
        });
        Flow<Void> subflow = Flow.of("subflow", () -> {
            boom.submit();
        });
        State<Void> state = Flow.of("parent", () -> {
                    assertThat(subflow.callForState().isFailed()).isTrue();
                    HELLO_LOCAL.submit();
                })
                .callForState();
        assertThat(state.toString()).isEqualTo("Failed(message='1/2 states failed.', type=FAILED)");
        assertThat(state.exception()).hasMessage("deep");
    }

    @Test
    void shouldMakeAFreshRunnerFromATypeForEachRun() {
        AtomicReference<String> runner = new AtomicReference<>();
        Flow<Void> flow = Flow.of("typed", () -> {
                    HELLO_LOCAL.submit();
                })
                .withTaskRunner(SequentialTaskRunner.class);
        try (LogCapture logs = LogCapture.start()) {
            flow.call();
            flow.call();
            runner.set(String.join("\n", logs.lines()));
        }
        assertThat(runner.get().lines().filter(l -> l.equals("Starting task runner `SequentialTaskRunner`...")))
                .hasSize(2);
    }

    @Test
    void shouldRejectARunnerTypeWithoutANoArgumentConstructor() {
        assertThatThrownBy(() -> Flow.of("f", () -> {}).withTaskRunner(NeedsArgument.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no public no-argument constructor");
    }

    @Test
    void shouldCrashARunThatTheRunnerRefusesAndFailTheFlow() {
        AtomicReference<TaskFuture<Void>> future = new AtomicReference<>();
        State<Void> state = Flow.of("refused", new RefusingRunner(), () -> {
                    future.set(HELLO_LOCAL.submit());
                })
                .callForState();
        State<Void> run = future.get().state();
        assertThat(run.type()).isEqualTo(StateType.CRASHED);
        assertThat(run.message())
                .isEqualTo("Task run crashed: the task runner could not run it: java.util.concurrent."
                        + "RejectedExecutionException: no capacity");
        assertThat(state.toString()).isEqualTo("Failed(message='1/1 states failed.', type=FAILED)");
    }

    @Test
    void shouldCrashTheFlowWithoutRunningItsBodyWhenTheRunnerFailsToStart() {
        AtomicBoolean bodyRan = new AtomicBoolean();
        State<Void> state = Flow.of("no-start", new FailingToStartRunner(), () -> bodyRan.set(true))
                .callForState();
        assertThat(bodyRan).isFalse();
        assertThat(state.type()).isEqualTo(StateType.CRASHED);
        assertThat(state.message())
                .isEqualTo("Flow run crashed: its task runner `FailingToStartRunner` failed to start:"
                        + " java.lang.IllegalStateException: no GPU here");
    }

    @Test
    void shouldCrashARunWhoseTaskHitsAJvmError() {
        Task0<Integer> greedy = Task.of("greedy", () -> {
            throw new OutOfMemoryError("simulated");
        });
        AtomicReference<State<Integer>> run = new AtomicReference<>();
        Flow.of("oom", () -> {
                    run.set(greedy.submit().await());
                })
                .callForState();
        assertThat(run.get().type()).isEqualTo(StateType.CRASHED);
        assertThat(run.get().message()).isEqualTo("Task run crashed: java.lang.OutOfMemoryError: simulated");
    }

    @Test
    void shouldRunIndependentCallsOfOneFlowFromManyThreads() throws InterruptedException {
        Task1<Integer, Integer> inc = Task.of("inc", (Integer x) -> x + 1);
        Flow<Integer> flow = Flow.of("shared", () -> inc.submit(inc.submit(0)).result());
        Thread[] threads = new Thread[8];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < threads.length; i++) {
            threads[i] = Thread.ofPlatform().start(() -> {
                try {
                    for (int j = 0; j < 50; j++) {
                        assertThat(flow.call()).isEqualTo(2);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failure.get()).isNull();
    }

    /** A runner type that cannot be made with defaults. */
    public static final class NeedsArgument implements TaskRunner {
        /** Needs a setting. */
        public NeedsArgument(int setting) {}

        @Override
        public void start() {}

        @Override
        public void submit(Call call) {}

        @Override
        public void shutdown() {}

        @Override
        public TaskRunner duplicate() {
            return this;
        }
    }

    /** Starts, but refuses every call. */
    static final class RefusingRunner implements TaskRunner {
        @Override
        public void start() {}

        @Override
        public void submit(Call call) {
            throw new java.util.concurrent.RejectedExecutionException("no capacity");
        }

        @Override
        public void shutdown() {}

        @Override
        public TaskRunner duplicate() {
            return new RefusingRunner();
        }
    }

    /** Cannot start. */
    static final class FailingToStartRunner implements TaskRunner {
        @Override
        public void start() {
            throw new IllegalStateException("no GPU here");
        }

        @Override
        public void submit(Call call) {}

        @Override
        public void shutdown() {}

        @Override
        public TaskRunner duplicate() {
            return new FailingToStartRunner();
        }
    }

    @Test
    void shouldNotEscapeMessagesAgainAtEachLevelOfSubflows() {
        Task0<Integer> inner = Task.of("inner", () -> {
            throw new IllegalStateException("it broke");
        });
        Flow<Integer> deepest = Flow.of("deepest", () -> inner.submit().result());
        Flow<Integer> middle = Flow.of("middle", () -> deepest.call());
        State<Integer> top = Flow.of("top", () -> middle.call()).callForState();
        assertThat(top.message())
                .contains("Task run 'inner-" + inner.key() + "-0' finished in state Failed: Task run encountered an"
                        + " exception: java.lang.IllegalStateException: it broke")
                .doesNotContain("\\");
        assertThat(top.toString()).doesNotContain("\\");
    }

    @Test
    void shouldNameTheFlowRunInLinesWhileSeveralFlowRunsRunAtOnce() throws Exception {
        java.util.concurrent.CountDownLatch bothBegan = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.CountDownLatch bothWorked = new java.util.concurrent.CountDownLatch(2);
        Task0<Integer> work = Task.of("work", () -> 1);
        Flow<Integer> flow = Flow.of("side-by-side", () -> {
            bothBegan.countDown();
            bothBegan.await();
            int one = work.submit().result();
            bothWorked.countDown(); // neither ends before both tasks' lines are out
            bothWorked.await();
            return one;
        });
        List<String> lines;
        try (LogCapture logs = LogCapture.start()) {
            FlowRunFuture<Integer> a = flow.start();
            FlowRunFuture<Integer> b = flow.start();
            assertThat(a.result() + b.result()).isEqualTo(2);
            lines = logs.lines();
        }
        for (String run : new String[] {"a", "b"}) {
            assertThat(lines)
                    .anyMatch(line -> line.matches("Flow run '[a-z]+-[a-z]+' - Submitting task run 'work-" + work.key()
                            + "-0' to task runner\\.\\.\\."));
        }
        assertThat(lines)
                .filteredOn(line -> line.contains("Task run 'work-"))
                .hasSize(2)
                .allMatch(line -> line.startsWith("Flow run '"));
    }
}
