package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.contract.BytesTaskRunner;
import dev.weft.contract.Conditions;
import dev.weft.contract.Shared;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a runner whose calls travel as bytes, on workers that can vanish, gets from the engine. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class BytesTaskRunnerTest {

    /** Blocks on the gate, counting the tries that began; returns its argument. */
    private static Task1<Integer, Integer> held(CompletableFuture<String> gate, Shared.Counter began) {
        return Task.of("held", (Integer i) -> {
            began.incrementAndGet();
            gate.get();
            return i;
        });
    }

    @Test
    void shouldRunAgainElsewhereTheCallsOfAWorkerRemovedWhileThreeRanOnIt() {
        BytesTaskRunner runner = new BytesTaskRunner(2, 3);
        CompletableFuture<String> gate = Shared.future();
        Shared.Counter began = Shared.counter();
        Task1<Integer, Integer> held = held(gate, began);
        List<TaskFuture<Integer>> runs = new ArrayList<>();
        AtomicReference<BytesTaskRunner> live = new AtomicReference<>();
        State<Integer> state = Flow.of("lose-a-worker", runner, () -> {
                    for (int i = 0; i < 6; i++) {
                        runs.add(held.submit(i));
                    }
                    Conditions.await("six calls running, three on each worker", () -> began.get() == 6);
                    live.set(runner.started());
                    int handedBack = live.get().removeWorker("bytes-0");
                    assertThat(handedBack).isEqualTo(3);
                    gate.complete("open");
                    return TaskFuture.gather(runs).result().stream()
                            .mapToInt(Integer::intValue)
                            .sum();
                })
                .callForState();
        assertThat(state.toString()).isEqualTo("Completed(message='All states completed.', type=COMPLETED)");
        assertThat(state.result()).isEqualTo(0 + 1 + 2 + 3 + 4 + 5);
        List<String> histories = runs.stream()
                .map(r -> ((dev.weft.internal.Node<?>) r).history())
                .toList();
        assertThat(histories)
                .filteredOn(h -> h.equals("Pending -> Running -> Pending -> Running -> Completed"))
                .hasSize(3);
        assertThat(histories)
                .filteredOn(h -> h.equals("Pending -> Running -> Completed"))
                .hasSize(3);
        assertThat(live.get().ranOn())
                .hasSize(9)
                .filteredOn(w -> w.endsWith("@bytes-1"))
                .hasSize(6);
    }

    @Test
    void shouldCrashACallLostThreeTimesNamingTheWorkers() {
        BytesTaskRunner runner = new BytesTaskRunner(4, 1);
        CompletableFuture<String> gate = Shared.future();
        Shared.Counter began = Shared.counter();
        Task1<Integer, Integer> held = held(gate, began);
        AtomicReference<TaskFuture<Integer>> run = new AtomicReference<>();
        State<Void> flow = Flow.of("lose-thrice", runner, () -> {
                    run.set(held.submit(1));
                    BytesTaskRunner live = runner.started();
                    for (int lost = 0; lost < 3; lost++) {
                        int tries = lost + 1;
                        Conditions.await(
                                "try " + tries + " to begin", () -> live.ranOn().size() == tries);
                        String on = live.ranOn().get(lost);
                        live.removeWorker(on.substring(on.indexOf('@') + 1));
                    }
                    run.get().await();
                })
                .callForState();
        State<Integer> state = run.get().state();
        assertThat(state.type()).isEqualTo(StateType.CRASHED);
        assertThat(state.message())
                .matches(
                        "Task run crashed: it was lost with its worker 3 times \\(on bytes-\\d, bytes-\\d, bytes-\\d\\);"
                                + " the last time: worker 'bytes-\\d' left: removed by the test");
        assertThat(((dev.weft.internal.Node<?>) run.get()).history())
                .isEqualTo("Pending -> Running -> Pending -> Running -> Pending -> Running -> Crashed");
        assertThat(flow.toString()).isEqualTo("Failed(message='1/1 states failed.', type=FAILED)");
        gate.complete("done");
    }

    @Test
    void shouldCountLostTriesApartFromRetries() {
        BytesTaskRunner runner = new BytesTaskRunner(2, 1);
        CompletableFuture<String> gate = Shared.future();
        Shared.Counter began = Shared.counter();
        // try 1 is lost with its worker; try 2 fails; try 3 (the one retry) completes
        Task1<Integer, Integer> flaky = Task.of("flaky", (Integer i) -> {
                    int n = began.incrementAndGet();
                    if (n == 1) {
                        gate.get();
                    }
                    if (n == 2) {
                        throw new IllegalStateException("flaky");
                    }
                    return i;
                })
                .withRetries(1);
        AtomicReference<TaskFuture<Integer>> run = new AtomicReference<>();
        Flow.of("lost-and-retried", runner, () -> {
                    run.set(flaky.submit(7));
                    Conditions.await("the first try", () -> began.get() == 1);
                    BytesTaskRunner live = runner.started();
                    String on = live.ranOn().get(0);
                    live.removeWorker(on.substring(on.indexOf('@') + 1));
                    run.get().await();
                })
                .callForState();
        assertThat(run.get().state().toString()).isEqualTo("Completed(message=null, type=COMPLETED)");
        assertThat(run.get().result()).isEqualTo(7);
        assertThat(((dev.weft.internal.Node<?>) run.get()).history())
                .isEqualTo("Pending -> Running -> Pending -> Running -> AwaitingRetry -> Running -> Completed");
        gate.complete("done");
    }

    /** Not serializable on purpose. */
    static final class Unshippable {
        @Override
        public String toString() {
            return "unshippable";
        }
    }

    @Test
    void shouldEndACallWhoseArgumentCannotBeSerializedWithOneLineNamingTheClass() {
        Task1<Object, Integer> length =
                Task.of("length", (Object o) -> o.toString().length());
        AtomicReference<TaskFuture<Integer>> bad = new AtomicReference<>();
        State<Void> flow = Flow.of("unshippable", new BytesTaskRunner(1, 1), () -> {
                    bad.set(length.submit(new Unshippable()));
                    length.submit("fine").await();
                })
                .callForState();
        assertThat(bad.get().state().type()).isEqualTo(StateType.CRASHED);
        assertThat(bad.get().state().message())
                .isEqualTo("Task run crashed: argument 1 cannot be serialized:"
                        + " dev.weft.BytesTaskRunnerTest$Unshippable does not implement java.io.Serializable");
        assertThat(flow.toString()).isEqualTo("Failed(message='1/2 states failed.', type=FAILED)");
    }

    @Test
    void shouldEndACallWhoseValueOrCapturedStateCannotBeSerializedWithOneLineNamingTheClass() {
        Unshippable captured = new Unshippable();
        Task0<Integer> capturing =
                Task.of("capturing", () -> captured.toString().length());
        Task0<Unshippable> returning = Task.of("returning", Unshippable::new);
        AtomicReference<TaskFuture<Integer>> first = new AtomicReference<>();
        AtomicReference<TaskFuture<Unshippable>> second = new AtomicReference<>();
        Flow.of("unshippable-parts", new BytesTaskRunner(1, 1), () -> {
                    first.set(capturing.submit());
                    second.set(returning.submit());
                    first.get().await();
                    second.get().await();
                })
                .callForState();
        assertThat(first.get().state().message())
                .isEqualTo("Task run crashed: its function (the task's lambda, or what it captures) cannot be"
                        + " serialized: dev.weft.BytesTaskRunnerTest$Unshippable does not implement"
                        + " java.io.Serializable");
        assertThat(second.get().state().message())
                .isEqualTo("Task run crashed: its value cannot be serialized:"
                        + " dev.weft.BytesTaskRunnerTest$Unshippable does not implement java.io.Serializable");
    }

    @Test
    void shouldTellTheRunnerOfACancelAndOfATimeout() {
        BytesTaskRunner runner = new BytesTaskRunner(2, 1);
        CompletableFuture<String> gate = Shared.future();
        Shared.Counter began = Shared.counter();
        Task1<Integer, Integer> held = held(gate, began);
        AtomicReference<TaskFuture<Integer>> cancelled = new AtomicReference<>();
        AtomicReference<TaskFuture<Integer>> timedOut = new AtomicReference<>();
        Flow.of("stops", runner, () -> {
                    cancelled.set(held.submit(1));
                    timedOut.set(held.withTimeout(Duration.ofMillis(300)).submit(2));
                    Conditions.await("both running", () -> began.get() == 2);
                    cancelled.get().cancel();
                    timedOut.get().await();
                })
                .callForState();
        gate.complete("done");
        String c = cancelled.get().name();
        String t = timedOut.get().name();
        assertThat(runner.started().stops())
                .containsExactlyInAnyOrder(
                        c + ": Cancelled by the user; the run was interrupted while it ran",
                        t + ": Task run exceeded timeout of 0.3 seconds");
        assertThat(cancelled.get().state().type()).isEqualTo(StateType.CANCELLED);
        assertThat(timedOut.get().state().name()).isEqualTo("TimedOut");
    }

    @Test
    void shouldRefuseInOneLineATaskThatSubmitsFromAnotherJvm() {
        Task1<Integer, Integer> inc = Task.of("inc", (Integer x) -> x + 1);
        Task0<Integer> parent = Task.of("parent", () -> inc.submit(1).result());
        AtomicReference<TaskFuture<Integer>> run = new AtomicReference<>();
        Flow.of("nested-elsewhere", new BytesTaskRunner(1, 1), () -> {
                    run.set(parent.submit());
                    run.get().await();
                })
                .callForState();
        assertThat(run.get().state().type()).isEqualTo(StateType.FAILED);
        assertThat(run.get().state().message())
                .isEqualTo("Task run encountered an exception: java.lang.IllegalStateException: Task run '"
                        + run.get().name() + "' cannot submit task 'inc': it runs in another JVM than its flow"
                        + " run, and this task runner cannot carry new runs back to it; return the values instead"
                        + " and submit from the flow, or use a runner whose calls stay in process");
    }

    @Test
    void shouldCarryStringsAndBoxesAcrossAsTheyWere() {
        List<Object> values = java.util.Arrays.asList(
                null,
                "",
                "plain ascii",
                "caf\u00e9 \u65e5\u672c \u0800\uffff",
                "\ud83d\ude80 a pair",
                "a lone \ud800 high and \udc00 low surrogate",
                "x".repeat(70_000),
                Integer.MIN_VALUE,
                Long.MAX_VALUE,
                -0.0d,
                Double.NaN,
                Boolean.TRUE);
        Task1<Object, Object> echo = Task.of("echo", (Object v) -> v);
        List<Object> back = Flow.of(
                        "plain-values",
                        new BytesTaskRunner(1, 2),
                        () -> values.stream().map(echo::submit).toList().stream()
                                .map(TaskFuture::result)
                                .toList())
                .call();
        List<Object> expected = values.stream()
                .map(v -> v instanceof String s
                        ? new String(
                                s.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                java.nio.charset.StandardCharsets.UTF_8)
                        : v)
                .toList();
        assertThat(back).isEqualTo(expected); // a lone surrogate crosses as UTF-8 makes it: '?'
    }
}
