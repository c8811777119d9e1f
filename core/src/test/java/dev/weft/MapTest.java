package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class MapTest {
    static final Task1<Integer, Integer> INC = Task.of("inc", (Integer x) -> x + 1);
    static final Task2<Integer, Integer, Integer> ADD = Task.of("add", (Integer a, Integer b) -> a + b);

    /** Runs a flow and returns its value, rethrowing an assertion that failed inside its body. */
    static <R> R run(Flow<R> flow) {
        State<R> state = flow.callForState();
        for (Throwable cause = state.exception(); cause != null; cause = cause.getCause()) {
            if (cause instanceof AssertionError assertion) {
                throw assertion;
            }
        }
        return state.result();
    }

    static <R> R run(Flow.Body<R> body) {
        return run(Flow.of("map-flow", body));
    }

    @Test
    void shouldSubmitOneRunPerElementAndReturnTheirFuturesInOrder() {
        List<Integer> values = run(() -> {
            List<TaskFuture<Integer>> futures = INC.map(List.of(10, 20, 30, 40));
            assertThat(futures).hasSize(4);
            assertThat(futures)
                    .extracting(TaskFuture::name)
                    .containsExactly(
                            "inc-" + INC.key() + "-0",
                            "inc-" + INC.key() + "-1",
                            "inc-" + INC.key() + "-2",
                            "inc-" + INC.key() + "-3");
            assertThatThrownBy(() -> futures.add(futures.get(0))).isInstanceOf(UnsupportedOperationException.class);
            return TaskFuture.gather(futures).result();
        });
        assertThat(values).containsExactly(11, 21, 31, 41);
    }

    @Test
    void shouldStartTheRunOfAFutureElementOnlyOnceThatFutureHasCompleted() {
        CompletableFuture<Integer> gate = new CompletableFuture<>();
        Task0<Integer> slow = Task.async("slow", () -> gate);
        List<Integer> values = run(() -> {
            try {
                TaskFuture<Integer> upstream = slow.submit();
                List<TaskFuture<Integer>> futures = INC.map(List.of(1, upstream, 3));
                assertThat(futures.get(0).result()).isEqualTo(2);
                assertThat(futures.get(2).result()).isEqualTo(4);
                assertThat(futures.get(1).state().toString())
                        .isEqualTo("Pending(message='Waiting for 1 upstream run', type=PENDING)");
                gate.complete(41);
                return TaskFuture.gather(futures).result();
            } finally {
                gate.complete(0);
            }
        });
        assertThat(values).containsExactly(2, 42, 4);
    }

    @Test
    void shouldGiveUnmappedAndOtherConstantsWholeToEveryRun() {
        Task2<Integer, List<Integer>, Boolean> allowed =
                Task.of("allowed", (Integer x, List<Integer> allowList) -> allowList.contains(x));
        Task3<String, Integer, Path, String> describe =
                Task.of("describe", (String name, Integer size, Path dir) -> dir.resolve(name) + ":" + size);
        run(() -> {
            List<TaskFuture<Boolean>> flags = allowed.map(List.of(1, 2, 3), Task.unmapped(List.of(2, 3)));
            assertThat(TaskFuture.gather(flags).result()).containsExactly(false, true, true);

            List<TaskFuture<Integer>> plusTen = ADD.map(List.of(1, 2, 3), 10);
            assertThat(TaskFuture.gather(plusTen).result()).containsExactly(11, 12, 13);

            TaskFuture<Integer> hundred = INC.submit(99);
            List<TaskFuture<Integer>> plusHundred = ADD.map(Unmapped.of(hundred), List.of(1, 2));
            assertThat(TaskFuture.gather(plusHundred).result()).containsExactly(101, 102);

            // A Path is Iterable (over its names) but given whole, as a directory argument is meant.
            List<TaskFuture<String>> files =
                    describe.map(List.of("a.txt", "b.txt"), List.of(1, 2), Path.of("/data/out"));
            assertThat(TaskFuture.gather(files).result()).containsExactly("/data/out/a.txt:1", "/data/out/b.txt:2");
            return null;
        });
    }

    @Test
    void shouldZipMappedArgumentsElementWiseAndReadEachIterableOnce() {
        AtomicInteger iterations = new AtomicInteger();
        Iterable<Integer> onePass = () -> {
            if (iterations.incrementAndGet() > 1) {
                throw new IllegalStateException("read twice");
            }
            return IntStream.range(0, 3).boxed().iterator();
        };
        List<Integer> values = run(
                () -> TaskFuture.gather(ADD.map(onePass, List.of(10, 20, 30))).result());
        assertThat(values).containsExactly(10, 21, 32);
        assertThat(iterations).hasValue(1);
    }

    @Test
    void shouldRejectMappedArgumentsOfDifferentLengthsAndSubmitNothing() {
        AtomicInteger ran = new AtomicInteger();
        Task3<Integer, Integer, Integer, Integer> sum3 = Task.of("sum3", (Integer a, Integer b, Integer c) -> {
            ran.incrementAndGet();
            return a + b + c;
        });
        State<Void> state = Flow.of("mismatch", () -> {
                    assertThatThrownBy(() -> ADD.map(List.of(1, 2, 3), List.of(1, 2)))
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessage("map: the mapped arguments have different lengths: a has 3, b has 2");
                    assertThatThrownBy(() -> sum3.map(List.of(1, 2), 5, List.of(1, 2, 3)))
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessage("map: the mapped arguments have different lengths: a has 2, c has 3");
                })
                .callForState();
        assertThat(state.isCompleted()).as("%s", state).isTrue();
        assertThat(ran).hasValue(0);
    }

    @Test
    void shouldRejectAMapWithNoMappedArgument() {
        run(() -> {
            assertThatThrownBy(() -> ADD.map(1, Task.unmapped(List.of(2))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("map: no argument of task 'add' is mapped; pass at least one Iterable to map over"
                            + " (constants that are collections go in Task.unmapped(...))");
            return null;
        });
    }

    @Test
    void shouldReturnNoFuturesForEmptyMappedArguments() {
        run(() -> {
            assertThat(INC.map(List.of())).isEmpty();
            assertThat(ADD.map(List.of(), 1)).isEmpty();
            return null;
        });
    }

    @Test
    void shouldRefuseToMapOutsideAFlowEvenWithNothingToMap() {
        assertThatThrownBy(() -> INC.map(List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Task 'inc' was mapped outside of a flow run.");
        assertThatThrownBy(() -> ADD.map(List.of(1), 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Task 'add' was mapped outside of a flow run.");
    }

    @Test
    void shouldMapFromInsideATaskIntoTheSameFlowRun() {
        Task1<Integer, Integer> fanOut = Task.of("fan_out", (Integer n) -> {
            List<Integer> xs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                xs.add(i);
            }
            return TaskFuture.gather(INC.map(xs)).result().stream()
                    .mapToInt(Integer::intValue)
                    .sum();
        });
        State<Integer> state = Flow.of("nested-map", () -> fanOut.submit(5).result())
                .withTaskRunner(new SequentialTaskRunner())
                .callForState();
        assertThat(state.result()).isEqualTo(1 + 2 + 3 + 4 + 5);
        assertThat(state.message()).isEqualTo("All states completed.");
    }

    @Test
    void shouldCarryTheTasksWaitForToEveryRun() {
        CompletableFuture<String> gate = new CompletableFuture<>();
        Task0<String> slow = Task.async("slow", () -> gate);
        List<Integer> values = run(() -> {
            try {
                TaskFuture<String> first = slow.submit();
                List<TaskFuture<Integer>> futures = INC.waitFor(first).map(List.of(1, 2, 3));
                assertThat(futures).allSatisfy(f -> assertThat(f.state().type()).isEqualTo(StateType.PENDING));
                gate.complete("open");
                return TaskFuture.gather(futures).result();
            } finally {
                gate.complete("open");
            }
        });
        assertThat(values).containsExactly(2, 3, 4);
    }

    @Test
    void shouldCarryTheTasksResourcesToEveryRun() {
        Task1<Integer, Integer> needsTwoGpus = INC.withResources(Map.of("GPU", 2));
        List<TaskFuture<Integer>> futures = new ArrayList<>();
        State<Void> state = Flow.of("resources", new ConcurrentTaskRunner(Map.of("GPU", 1)), () -> {
                    futures.addAll(needsTwoGpus.map(List.of(1, 2, 3)));
                })
                .callForState();
        assertThat(futures).hasSize(3).allSatisfy(f -> {
            assertThat(f.state().type()).isEqualTo(StateType.CRASHED);
            assertThat(f.state().message()).contains("it needs {GPU=2}");
        });
        assertThat(state.toString()).isEqualTo("Failed(message='3/3 states failed.', type=FAILED)");
    }
}
