package dev.weft.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Annotate;
import dev.weft.Flow;
import dev.weft.RunFailedException;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.Task1;
import dev.weft.Task2;
import dev.weft.TaskFuture;
import dev.weft.TaskRunner;
import dev.weft.UpstreamFailedException;
import dev.weft.WeftClient;
import dev.weft.runner.RunnerSpec;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every task runner must do, whatever it is: the engine's semantics hold on each of them. A runner
 * joins by extending this class and returning an unstarted runner from {@link #runner()}.
 *
 * <p>Tests that need a run to stay in flight use asynchronous tasks whose stage the test completes, so
 * that they hold on a runner that runs one call at a time on the submitting thread too.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class TaskRunnerContract {

    /** For subclasses. */
    protected TaskRunnerContract() {}

    /** Returns a new, unstarted runner of the kind under test. */
    protected abstract TaskRunner runner();

    /**
     * Returns a new, unstarted runner of the kind under test whose one worker (or every worker) has the
     * given resources.
     */
    protected abstract TaskRunner runner(Map<String, ? extends Number> workerResources);

    /**
     * Returns by how much the three scale tests (a chain of a million runs, a fan-in of a hundred thousand,
     * a million runs collected) shrink on this runner: 1, none, by default. A runner whose every call makes a
     * network round trip runs them a hundred times smaller, which checks the same properties in the time a
     * build allows.
     */
    protected int scaleDivisor() {
        return 1;
    }

    /** Returns what the runner under test declares it can do; the tests it lacks a capability for skip. */
    protected final RunnerSpec spec() {
        return runner().spec();
    }

    /** Skips the test, saying why, unless the runner declares the capability it needs. */
    protected static void requires(boolean capability, String lacking) {
        Assumptions.assumeTrue(capability, () -> "The runner's spec says it " + lacking);
    }

    private static final String NO_SUBMITS =
            "cannot carry submits or waits of a call running elsewhere back to its flow run";

    private <R> Flow<R> flow(String name, Flow.Body<R> body) {
        return Flow.of(name, body).withTaskRunner(runner());
    }

    private Flow<Void> flow(String name, Flow.Action body) {
        return Flow.of(name, body).withTaskRunner(runner());
    }

    /** Runs a flow expected to fail, rethrowing an assertion that failed inside its body. */
    private static <R> State<R> stateOf(Flow<R> flow) {
        State<R> state = flow.callForState();
        Throwable cause = state.exception();
        while (cause != null) {
            if (cause instanceof AssertionError assertion) {
                throw assertion;
            }
            cause = cause.getCause();
        }
        return state;
    }

    static final Task1<String, String> SAY_HELLO = Task.of("say_hello", (String name) -> "Hello " + name + "!");
    static final Task2<Integer, Integer, Integer> ADD = Task.of("add", (Integer a, Integer b) -> a + b);
    static final Task1<Integer, Integer> INC = Task.of("inc", (Integer x) -> x + 1);

    @Test
    public void shouldReturnTaskValueThroughFuture() {
        String value =
                flow("hello-flow", () -> SAY_HELLO.submit("Marvin").result()).call();
        assertThat(value).isEqualTo("Hello Marvin!");
    }

    @Test
    public void shouldPassUpstreamValueNotFutureToDownstreamTask() {
        Shared.Ref<Object> received = Shared.ref();
        Task1<String, Void> printResult = Task.of("print_result", (String result) -> received.set(result));
        flow("hello-flow", () -> {
                    TaskFuture<String> future = SAY_HELLO.submit("Marvin");
                    printResult.submit(future);
                })
                .call();
        assertThat(received.get()).isInstanceOf(String.class).isEqualTo("Hello Marvin!");
    }

    @Test
    public void shouldCombineValuesAndFuturesInAnyArgumentPosition() {
        int sum = flow("add-flow", () -> {
                    TaskFuture<Integer> one = INC.submit(0);
                    TaskFuture<Integer> two = ADD.submit(one, 1);
                    TaskFuture<Integer> three = ADD.submit(1, two);
                    return ADD.submit(two, three).result();
                })
                .call();
        assertThat(sum).isEqualTo(5);
    }

    @Test
    @SuppressWarnings("unchecked")
    public void shouldResolveFuturesInsideCollectionsAndArrays() {
        Task1<Object, Object> identity = Task.of("identity", (Object o) -> o);
        List<Object> seen = flow("collections", () -> {
                    TaskFuture<String> a = SAY_HELLO.submit("a");
                    TaskFuture<Integer> one = INC.submit(0);
                    TaskFuture<Object> list = identity.submit(List.of(a, "plain", List.of(one)));
                    TaskFuture<Object> set = identity.submit(Set.of(a));
                    TaskFuture<Object> map = identity.submit(new TreeMap<>(Map.of("k", one, "l", 2)));
                    TaskFuture<Object> array = identity.submit((Object) new Object[] {a, one});
                    return List.of(list.result(), set.result(), map.result(), array.result());
                })
                .call();
        assertThat((List<Object>) seen.get(0)).containsExactly("Hello a!", "plain", List.of(1));
        assertThat((Collection<Object>) seen.get(1)).containsExactly("Hello a!");
        assertThat((Map<Object, Object>) seen.get(2))
                .isInstanceOf(TreeMap.class)
                .containsExactly(Map.entry("k", 1), Map.entry("l", 2));
        assertThat((Object[]) seen.get(3)).containsExactly("Hello a!", 1);
    }

    @Test
    public void shouldGatherFuturesIntoOneFutureOfTheirValuesInOrder() {
        Task1<List<Integer>, Integer> sum = Task.of(
                "sum",
                (List<Integer> xs) -> xs.stream().mapToInt(Integer::intValue).sum());
        int total = flow("gather", () -> {
                    List<TaskFuture<Integer>> futures = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        futures.add(INC.submit(i));
                    }
                    TaskFuture<List<Integer>> all = TaskFuture.gather(futures);
                    assertThat(all.result()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
                    return sum.submit(all).result();
                })
                .call();
        assertThat(total).isEqualTo(55);
    }

    @Test
    public void shouldStartRunOnlyAfterEveryRunInWaitForHasEnded() {
        ConcurrentLinkedQueue<String> events = Shared.queue();
        CompletableFuture<String> gate = Shared.future();
        Task0<String> taskA = Task.async(
                "task_a",
                () -> gate.thenApply(v -> {
                    events.add("a");
                    return v;
                }));
        Task0<Void> taskB = Task.of("task_b", () -> {
            events.add("b");
        });
        Task0<Void> taskC = Task.of("task_c", () -> {
            events.add("c");
        });
        Task0<Void> taskD = Task.of("task_d", () -> {
            events.add("d");
        });
        flow("wait-for", () -> {
                    try {
                        TaskFuture<String> a = taskA.submit();
                        TaskFuture<Void> b = taskB.submit();
                        TaskFuture<Void> c = taskC.waitFor(a, b).submit();
                        assertThat(c.state().type()).isEqualTo(StateType.PENDING);
                        gate.complete("open");
                        taskD.waitFor(c).call();
                    } finally {
                        gate.complete("open");
                    }
                })
                .call();
        List<String> order = List.copyOf(events);
        assertThat(order).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(order.indexOf("c")).isGreaterThan(order.indexOf("a")).isGreaterThan(order.indexOf("b"));
        assertThat(order.get(3)).isEqualTo("d");
    }

    @Test
    public void shouldSayWhatAPendingRunWaitsFor() {
        CompletableFuture<Integer> gate = Shared.future();
        Task0<Integer> slow = Task.async("slow", () -> gate);
        flow("pending", () -> {
                    try {
                        TaskFuture<Integer> upstream = slow.submit();
                        TaskFuture<Integer> downstream = INC.submit(upstream);
                        assertThat(downstream.state().toString())
                                .isEqualTo("Pending(message='Waiting for 1 upstream run', type=PENDING)");
                        gate.complete(41);
                        assertThat(downstream.result()).isEqualTo(42);
                    } finally {
                        gate.complete(0);
                    }
                })
                .call();
    }

    @Test
    public void shouldNeverRunADownstreamTaskWhoseUpstreamFailed() {
        Shared.Counter downstreamRuns = Shared.counter();
        Task0<Integer> boom = Task.of("boom", () -> {
            throw new IllegalStateException("boom");
        });
        Task1<Integer, Integer> after = Task.of("after", (Integer x) -> {
            downstreamRuns.incrementAndGet();
            return x;
        });
        Shared.Ref<TaskFuture<Integer>> downstream = Shared.ref();
        State<Void> flowState = stateOf(flow("upstream-failure", () -> {
            TaskFuture<Integer> failed = boom.submit();
            downstream.set(after.submit(failed));
            INC.submit(1);
        }));

        assertThat(downstreamRuns.get()).isEqualTo(0);
        State<Integer> state = downstream.get().state();
        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(state.name()).isEqualTo("UpstreamFailed");
        assertThat(state.message())
                .matches("Upstream task run 'boom-[0-9a-f]{8}-0' did not reach a 'COMPLETED'"
                        + " state; it finished in state Failed");
        assertThat(state.exception())
                .isInstanceOf(UpstreamFailedException.class)
                .cause()
                .hasMessage("boom");
        assertThat(flowState.toString()).isEqualTo("Failed(message='2/3 states failed.', type=FAILED)");
    }

    @Test
    public void shouldRethrowTaskExceptionFromResultNamingTheRun() {
        IllegalArgumentException thrown = new IllegalArgumentException("bad input");
        Task1<String, String> failing = Task.of("failing", (String s) -> {
            throw thrown;
        });
        boolean copied = spec().callsLeaveThisJvm(); // what crosses a JVM is a copy, not the object thrown
        stateOf(flow("raise", () -> {
            TaskFuture<String> future = failing.submit("x");
            var cause = assertThatThrownBy(future::result)
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageMatching("Task run 'failing-[0-9a-f]{8}-0' finished in state Failed: Task run"
                            + " encountered an exception: java.lang.IllegalArgumentException: bad input")
                    .cause();
            if (copied) {
                cause.isInstanceOf(IllegalArgumentException.class).hasMessage("bad input");
            } else {
                cause.isSameAs(thrown);
            }
        }));
    }

    @Test
    public void shouldReturnTheExceptionInsteadOfRaisingWhenAsked() {
        Task0<String> failing = Task.of("my_task", () -> {
            throw new java.io.IOException("disk on fire");
        });
        stateOf(flow("no-raise", () -> {
            TaskFuture<String> future = failing.submit();
            Object result = future.resultOrException();
            assertThat(future.state().isFailed()).isTrue();
            assertThat(result).isInstanceOfSatisfying(java.io.IOException.class, e -> assertThat(e)
                    .hasMessage("disk on fire"));
            TaskFuture<String> fine = SAY_HELLO.submit("ok");
            assertThat(fine.resultOrException()).isEqualTo("Hello ok!");
        }));
    }

    @Test
    public void shouldReturnNothingFromATimedWaitWhileTheRunIsInFlight() {
        CompletableFuture<String> gate = Shared.future();
        Task0<String> slow = Task.async("slow", () -> gate);
        flow("timed-wait", () -> {
                    TaskFuture<String> future = slow.submit();
                    try {
                        assertThat(future.await(Duration.ofMillis(20))).isEmpty();
                        assertThat(future.isDone()).isFalse();
                    } finally {
                        gate.complete("done");
                    }
                    State<String> state = future.await(Duration.ofSeconds(30)).orElseThrow();
                    assertThat(state.isCompleted()).isTrue();
                    assertThat(state.result()).isEqualTo("done");
                    assertThat(future.await().result()).isEqualTo("done");
                })
                .call();
    }

    @Test
    public void shouldEndAsynchronousTasksWhenTheirStageEnds() {
        CompletableFuture<Integer> gate = Shared.future();
        Task1<Integer, Integer> doubleLater = Task.async("double_later", (Integer x) -> gate.thenApply(g -> g * x));
        int value = flow("async", () -> {
                    TaskFuture<Integer> doubled = doubleLater.submit(21);
                    TaskFuture<Integer> plusOne = INC.submit(doubled);
                    gate.complete(2);
                    return plusOne.result();
                })
                .call();
        assertThat(value).isEqualTo(43);
    }

    @Test
    public void shouldFailAnAsynchronousTaskWhoseStageFails() {
        Task0<Integer> failsLater = Task.async(
                "fails_later", () -> CompletableFuture.failedFuture(new IllegalStateException("async boom")));
        Shared.Ref<State<Integer>> seen = Shared.ref();
        State<Void> state = stateOf(flow("async-failure", () -> {
            seen.set(failsLater.submit().await());
        }));
        assertThat(seen.get().type()).isEqualTo(StateType.FAILED);
        assertThat(seen.get().exception())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("async boom");
        assertThat(state.toString()).isEqualTo("Failed(message='1/1 states failed.', type=FAILED)");
    }

    @Test
    public void shouldSubmitFromInsideATaskIntoTheSameFlowRun() {
        requires(spec().submitsFromTasks(), NO_SUBMITS);
        Task1<Integer, Integer> fanOut = Task.of("fan_out", (Integer n) -> {
            List<TaskFuture<Integer>> children = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                children.add(INC.submit(i));
            }
            int total = 0;
            for (TaskFuture<Integer> child : children) {
                total += child.result();
            }
            return total;
        });
        State<Integer> state = stateOf(flow("nested", () -> fanOut.submit(4).result()));
        assertThat(state.result()).isEqualTo(1 + 2 + 3 + 4);
        assertThat(state.message()).isEqualTo("All states completed.");
    }

    @Test
    public void shouldCountNestedRunsInTheFlowState() {
        requires(spec().submitsFromTasks(), NO_SUBMITS);
        Task0<Integer> boom = Task.of("boom", () -> {
            throw new IllegalStateException("nested boom");
        });
        Task0<Integer> parent = Task.of("parent", () -> {
            boom.submit();
            return 1;
        });
        // the body returns nothing: every run counts, the nested one too
        State<Void> state = stateOf(flow("nested-failure", () -> {
            parent.submit().result();
        }));
        assertThat(state.toString()).isEqualTo("Failed(message='1/2 states failed.', type=FAILED)");
        assertThatThrownBy(state::result)
                .isInstanceOf(RunFailedException.class)
                .hasMessageStartingWith("Flow run '")
                .cause()
                .hasMessage("nested boom");
    }

    @Test
    public void shouldLetATaskWaitForASiblingQueuedAfterIt() {
        requires(spec().submitsFromTasks(), NO_SUBMITS);
        CompletableFuture<Integer> gate = Shared.future();
        Task0<Integer> slow = Task.async("slow", () -> gate);
        Shared.Ref<TaskFuture<Integer>> sibling = Shared.ref();
        Task0<Integer> waiter = Task.of("waiter", () -> sibling.get().result() * 2);
        int value = flow("sibling", () -> {
                    TaskFuture<Integer> first = slow.submit();
                    sibling.set(INC.submit(first));
                    // On a one-at-a-time runner the waiter is queued before its sibling becomes ready, so
                    // it runs first and must run the sibling itself while it waits.
                    TaskFuture<Integer> waiting = waiter.submit();
                    gate.complete(1);
                    return waiting.result();
                })
                .call();
        assertThat(value).isEqualTo(4);
    }

    @Test
    public void shouldCallATaskInPlaceAndCountIt() {
        State<String> state = stateOf(flow("in-place", () -> {
            String now = SAY_HELLO.call("Arthur");
            TaskFuture<String> later = SAY_HELLO.submit("Marvin");
            return now + " " + SAY_HELLO.call(later);
        }));
        assertThat(state.result()).isEqualTo("Hello Arthur! Hello Hello Marvin!!");
        assertThat(state.message()).isEqualTo("All states completed.");
    }

    @Test
    public void shouldRunASubflowWithARunnerOfItsOwn() {
        Flow<Integer> subflow = Flow.of("subflow", () -> INC.submit(1).result()).withTaskRunner(runner());
        int value = flow("parent", () -> INC.submit(subflow.call()).result()).call();
        assertThat(value).isEqualTo(3);
    }

    /** A call that needs {@code process=1} and holds it until the test opens its gate. */
    static Task0<String> holdsProcess(CompletableFuture<String> gate) {
        return Task.async("holds_process", () -> gate).withResources(Map.of("process", 1));
    }

    @Test
    @SuppressWarnings("try") // the scope works by being open, not by being referenced
    public void shouldStartHigherPrioritiesFirstAndEqualOnesInSubmissionOrder() {
        CompletableFuture<String> gate = Shared.future();
        ConcurrentLinkedQueue<String> started = Shared.queue();
        Task1<String, Void> show = Task.of("show", (String x) -> {
                    started.add(x);
                })
                .withResources(Map.of("process", 1));
        Flow.of("priorities", runner(Map.of("process", 1)), () -> {
                    TaskFuture<String> holder = holdsProcess(gate).submit();
                    try {
                        show.withPriority(-10).submit("low");
                        show.submit("first default");
                        try (Annotate high = Annotate.priority(10)) {
                            show.submit("high");
                        }
                        show.submit("second default");
                        assertThat(started).isEmpty();
                    } finally {
                        gate.complete("open");
                    }
                    holder.result();
                })
                .call();
        assertThat(started).containsExactly("high", "first default", "second default", "low");
    }

    @Test
    @SuppressWarnings("try") // the scope works by being open, not by being referenced
    public void shouldStartCallsNeedingOneProcessOneAtATime() {
        List<CompletableFuture<String>> gates = List.of(Shared.future(), Shared.future(), Shared.future());
        Task1<Integer, String> process = Task.async("process", (Integer i) -> gates.get(i));
        Flow.of("one-process", runner(Map.of("GPU", 1, "process", 1)), () -> {
                    try (Annotate p = Annotate.resources(Map.of("process", 1))) {
                        List<TaskFuture<String>> calls =
                                List.of(process.submit(0), process.submit(1), process.submit(2));
                        try {
                            for (int i = 0; i < 3; i++) {
                                awaitRunning(calls.get(i));
                                for (int j = i + 1; j < 3; j++) {
                                    assertThat(calls.get(j).state().type()).isEqualTo(StateType.PENDING);
                                }
                                gates.get(i).complete("done " + i);
                                calls.get(i).await();
                            }
                        } finally {
                            gates.forEach(g -> g.complete("released"));
                        }
                    }
                })
                .call();
    }

    @Test
    public void shouldQueueTaggedCallsBeyondTheirTagsLimitAndStartEachAsASlotFrees() {
        String tag = "contract-" + UUID.randomUUID();
        try (WeftClient client = WeftClient.open()) {
            client.createConcurrencyLimit(tag, 1);
        }
        List<CompletableFuture<String>> gates = List.of(Shared.future(), Shared.future(), Shared.future());
        Task1<Integer, String> limited =
                Task.async("limited", (Integer i) -> gates.get(i)).withTags(tag);
        flow("tag-limit", () -> {
                    List<TaskFuture<String>> calls = List.of(limited.submit(0), limited.submit(1), limited.submit(2));
                    try {
                        for (int i = 0; i < 3; i++) {
                            awaitRunning(calls.get(i));
                            for (int j = i + 1; j < 3; j++) {
                                assertThat(calls.get(j).state().type()).isEqualTo(StateType.QUEUED);
                                assertThat(calls.get(j).state().message()).contains("tag '" + tag + "'");
                            }
                            gates.get(i).complete("done " + i);
                            assertThat(calls.get(i).result()).isEqualTo("done " + i);
                        }
                    } finally {
                        gates.forEach(g -> g.complete("released"));
                    }
                })
                .call();
        try (WeftClient client = WeftClient.open()) {
            assertThat(client.readConcurrencyLimitByTag(tag).orElseThrow().activeSlots())
                    .isEmpty();
            client.deleteConcurrencyLimitByTag(tag);
        }
    }

    @Test
    public void shouldRetryAFailedTryUntilItSucceeds() {
        Shared.Counter tries = Shared.counter();
        Task0<Integer> flaky = Task.of("flaky", () -> {
                    int n = tries.incrementAndGet();
                    if (n < 3) {
                        throw new IllegalStateException("try " + n);
                    }
                    return n;
                })
                .withRetries(2);
        assertThat(flow("retries", () -> flaky.submit().result()).call()).isEqualTo(3);
    }

    @Test
    public void shouldEndATryThatRunsPastItsTimeout() {
        Task0<Integer> slow = Task.<Integer>of("slow", () -> {
                    new java.util.concurrent.CountDownLatch(1).await(); // until interrupted
                    return 0;
                })
                .withTimeout(Duration.ofMillis(50));
        Shared.Ref<State<Integer>> run = Shared.ref();
        State<Void> flowState = Flow.of("timeout", runner(), () -> {
                    run.set(slow.submit().await());
                })
                .callForState();
        State<Integer> state = run.get();
        assertThat(flowState.type()).isEqualTo(StateType.FAILED);
        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(state.exception()).isInstanceOf(java.util.concurrent.TimeoutException.class);
    }

    @Test
    public void shouldCancelRunsWaitingForTheirRunnerWhenTheFlowTimesOut() {
        // One worker with one process: the first call holds it until interrupted, the others wait for the
        // runner; the flow's timeout cancels them all, and none ever runs.
        Shared.Counter started = Shared.counter();
        Task1<Integer, Integer> process = Task.<Integer, Integer>of("process", (Integer i) -> {
                    started.incrementAndGet();
                    new java.util.concurrent.CountDownLatch(1).await();
                    return i;
                })
                .withResources(Map.of("process", 1));
        List<TaskFuture<Integer>> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
        State<Void> state = Flow.of("flow-timeout", runner(Map.of("process", 1)), () -> {
                    for (int i = 0; i < 100; i++) {
                        runs.add(process.submit(i));
                    }
                })
                .withTimeout(Duration.ofMillis(200))
                .callForState();
        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(state.exception()).isInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(runs).hasSize(100).allSatisfy(r -> assertThat(r.state().type())
                .isEqualTo(StateType.CANCELLED));
        assertThat(started.get()).isLessThanOrEqualTo(1);
    }

    @Test
    public void shouldNeverStartACancelledRunNorWhatDependsOnIt() {
        CompletableFuture<Integer> gate = Shared.future();
        Task0<Integer> first = Task.async("first", () -> gate);
        Shared.Counter ran = Shared.counter();
        Task1<Integer, Integer> second = Task.of("second", (Integer x) -> ran.incrementAndGet());
        Shared.Ref<State<Integer>> last = Shared.ref();
        State<Void> state = flow("cancel", () -> {
                    TaskFuture<Integer> a = first.submit();
                    TaskFuture<Integer> b = second.submit(a);
                    TaskFuture<Integer> c = second.submit(b);
                    assertThat(b.cancel()).isTrue();
                    gate.complete(1);
                    last.set(c.await());
                    a.result();
                })
                .callForState();
        assertThat(last.get().type()).isEqualTo(StateType.CANCELLED);
        assertThat(state.type()).isEqualTo(StateType.CANCELLED);
        assertThat(ran.get()).isEqualTo(0);
    }

    /** Waits until a run has started (it starts on another thread once the one before has ended). */
    static void awaitRunning(TaskFuture<?> future) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (future.state().type() != StateType.RUNNING && !future.isDone()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(future.name() + " did not start: " + future.state());
            }
            Thread.onSpinWait();
        }
    }

    @Test
    public void shouldGiveResourcesBackWhenACallFails() {
        Task0<Integer> failing = Task.<Integer>of("failing", () -> {
                    throw new IllegalStateException("boom");
                })
                .withResources(Map.of("process", 1));
        Task0<Integer> after = Task.of("after", () -> 1).withResources(Map.of("process", 1));
        Shared.Ref<Integer> value = Shared.ref();
        stateOf(Flow.of("release-on-failure", runner(Map.of("process", 1)), () -> {
            failing.submit().await();
            value.set(after.submit().result());
        }));
        assertThat(value.get()).isEqualTo(1);
    }

    @Test
    public void shouldCrashAtOnceACallThatNoWorkerCouldEverRun() {
        Task0<Integer> twoGpus = Task.of("two_gpus", () -> 1).withResources(Map.of("GPU", 2));
        Task0<Integer> tpu = Task.of("tpu", () -> 1).withResources(Map.of("TPU", 1));
        Shared.Ref<State<Integer>> tooMany = Shared.ref();
        Shared.Ref<State<Integer>> unknown = Shared.ref();
        State<Void> state = stateOf(Flow.of("impossible", runner(Map.of("GPU", 1)), () -> {
            tooMany.set(twoGpus.submit().await());
            unknown.set(tpu.submit().await());
        }));
        assertThat(tooMany.get().type()).isEqualTo(StateType.CRASHED);
        assertThat(tooMany.get().message()).contains("can ever run it: it needs {GPU=2}", "{GPU=1}");
        assertThat(tooMany.get().exception()).isInstanceOf(dev.weft.InsufficientResourcesException.class);
        assertThat(unknown.get().type()).isEqualTo(StateType.CRASHED);
        assertThat(unknown.get().message()).contains("it needs {TPU=1}");
        assertThat(state.toString()).isEqualTo("Failed(message='2/2 states failed.', type=FAILED)");
    }

    @Test
    public void shouldCrashTheCallsStillWaitingWhenTheRunnerShutsDownUnderThem() {
        requires(!spec().callsLeaveThisJvm(), "sends calls away, and this test holds a call on a thread of this JVM");
        // A holds the worker's one process (in flight until the test ends it); B waits for it. Shutting the
        // runner down under B crashes it, with a reason, instead of leaving it waiting forever.
        TaskRunner runner = runner(Map.of("process", 1));
        runner.start();
        Shared.Ref<Runnable> endA = Shared.ref();
        Shared.Ref<Throwable> crashedB = Shared.ref();
        Shared.Counter ranB = Shared.counter();
        runner.submit(new ProbeCall() {
            @Override
            public String name() {
                return "a";
            }

            @Override
            public dev.weft.Resources resources() {
                return dev.weft.Resources.of("process", 1);
            }

            @Override
            public boolean run(Runnable whenFinal) {
                endA.set(whenFinal);
                return false;
            }

            @Override
            public void crash(Throwable cause) {}
        });
        Conditions.await("a to start", () -> endA.get() != null);
        runner.submit(new ProbeCall() {
            @Override
            public String name() {
                return "b";
            }

            @Override
            public dev.weft.Resources resources() {
                return dev.weft.Resources.of("process", 1);
            }

            @Override
            public boolean run(Runnable whenFinal) {
                ranB.incrementAndGet();
                return true;
            }

            @Override
            public void crash(Throwable cause) {
                crashedB.set(cause);
            }
        });
        runner.shutdown();
        endA.get().run();
        // a thread of the runner that was placing calls as it shut down may be the one that crashes b
        Conditions.await("b to crash", () -> crashedB.get() != null);
        assertThat(crashedB.get()).hasMessageContaining("shut down");
        assertThat(ranB.get()).isEqualTo(0);
    }

    @Test
    public void shouldCrashARunWhoseTaskRunsOutOfMemoryAndWakeItsWaiters() {
        Task0<Integer> oom = Task.<Integer>of("oom", () -> {
            throw new OutOfMemoryError("simulated");
        });
        Shared.Ref<State<Integer>> seen = Shared.ref();
        State<Void> state = Flow.of("crash", runner(), () -> {
                    TaskFuture<Integer> run = oom.submit();
                    seen.set(run.await());
                })
                .callForState();
        assertThat(seen.get().type()).isEqualTo(StateType.CRASHED);
        assertThat(seen.get().message()).isEqualTo("Task run crashed: java.lang.OutOfMemoryError: simulated");
        assertThat(state.type()).isEqualTo(StateType.FAILED);
    }

    @Test
    public void shouldFailFastWhenUsedBeforeStartOrAfterShutdown() {
        TaskRunner runner = runner();
        TaskRunner.Call call = new ProbeCall() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public boolean run(Runnable whenFinal) {
                return true;
            }

            @Override
            public void crash(Throwable cause) {}
        };
        assertThatThrownBy(() -> runner.submit(call))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not been started");
        runner.start();
        runner.submit(call);
        runner.shutdown();
        assertThatThrownBy(() -> runner.submit(call)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Tag("slow")
    public void shouldCompleteAMillionTaskDependencyChain() {
        int length = 1_000_000 / scaleDivisor();
        int end = flow("chain", () -> {
                    TaskFuture<Integer> f = INC.submit(0);
                    for (int i = 1; i < length; i++) {
                        f = INC.submit(f);
                    }
                    return f.result();
                })
                .call();
        assertThat(end).isEqualTo(length);
    }

    @Test
    @Tag("slow")
    public void shouldCompleteAHundredThousandTaskFanIn() {
        int width = 100_000 / scaleDivisor();
        Task1<List<Integer>, Long> sum = Task.of(
                "sum",
                (List<Integer> xs) -> xs.stream().mapToLong(Integer::longValue).sum());
        long total = flow("fan-in", () -> {
                    List<TaskFuture<Integer>> futures = new ArrayList<>(width);
                    for (int i = 0; i < width; i++) {
                        futures.add(INC.submit(i));
                    }
                    return sum.submit(TaskFuture.gather(futures)).result();
                })
                .call();
        assertThat(total).isEqualTo((long) width * (width + 1) / 2);
    }

    @Test
    @Tag("slow")
    public void shouldLetRunsBeCollectedOnceTheFlowHasEndedAndTheirFuturesAreDropped() throws InterruptedException {
        int runs = 1_000_000 / scaleDivisor();
        List<WeakReference<TaskFuture<Integer>>> sample = new ArrayList<>();
        State<Integer> state = stateOf(flow("memory", () -> {
            TaskFuture<Integer> last = null;
            for (int i = 0; i < runs; i++) {
                last = INC.submit(i);
                if (i % 1000 == 0) {
                    sample.add(new WeakReference<>(last));
                }
            }
            return last.result();
        }));
        assertThat(state.result()).isEqualTo(runs);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sample.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(sample).hasSize(runs / 1000).allSatisfy(ref -> assertThat(ref.get())
                .isNull());
    }

    @Test
    public void shouldMapOneRunPerElementAndReturnTheirFuturesInOrder() {
        List<Integer> values = flow("map", () -> {
                    TaskFuture<Integer> five = INC.submit(4);
                    List<TaskFuture<Integer>> incs = INC.map(List.of(0, five, 9));
                    List<TaskFuture<Integer>> sums = ADD.map(List.of(1, 2, 3), 10);
                    assertThat(incs)
                            .extracting(TaskFuture::name)
                            .containsExactly(
                                    "inc-" + INC.key() + "-1", "inc-" + INC.key() + "-2", "inc-" + INC.key() + "-3");
                    List<Integer> all = new ArrayList<>(TaskFuture.gather(incs).result());
                    all.addAll(TaskFuture.gather(sums).result());
                    return all;
                })
                .call();
        assertThat(values).containsExactly(1, 6, 10, 11, 12, 13);
    }

    @Test
    public void shouldYieldEveryFutureOnceFromAsCompleted() {
        List<CompletableFuture<Integer>> gates = List.of(Shared.future(), Shared.future(), Shared.future());
        Task1<Integer, Integer> held = Task.async("held", (Integer i) -> gates.get(i));
        Task0<Integer> boom = Task.of("boom", () -> {
            throw new IllegalStateException("boom");
        });
        State<Void> state = stateOf(flow("as-completed", () -> {
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            try {
                futures.addAll(held.map(List.of(0, 1, 2)));
                futures.addAll(INC.map(List.of(0, 1, 2)));
                futures.add(boom.submit());
                Iterable<TaskFuture<Integer>> inOrder = TaskFuture.asCompleted(futures, Duration.ofSeconds(60));
                for (int i = 2; i >= 0; i--) {
                    gates.get(i).complete(i);
                }
                List<TaskFuture<Integer>> yielded = new ArrayList<>();
                for (TaskFuture<Integer> future : inOrder) {
                    assertThat(future.isDone()).isTrue();
                    yielded.add(future);
                }
                assertThat(yielded).hasSize(futures.size()).containsExactlyInAnyOrderElementsOf(futures);
                assertThat(TaskFuture.waitAll(futures).done()).containsExactlyElementsOf(futures);
            } finally {
                gates.forEach(g -> g.complete(-1));
            }
        }));
        assertThat(state.toString()).isEqualTo("Failed(message='1/7 states failed.', type=FAILED)");
    }

    // ---- Prefect's semantics: what decides a flow run's state, state names, slots, records ----------------

    @Test
    public void shouldCompleteAFlowWhoseBodyHandlesAFailureAndReturnsAValue() {
        Task0<Integer> boom = Task.of("boom", () -> {
            throw new IllegalStateException("boom");
        });
        State<String> state = flow("handled", () -> {
                    Object outcome = boom.submit().resultOrException();
                    return "handled " + ((Throwable) outcome).getMessage();
                })
                .callForState();
        assertThat(state.type()).isEqualTo(StateType.COMPLETED);
        assertThat(state.result()).isEqualTo("handled boom");
    }

    @Test
    public void shouldDecideTheFlowStateByTheFuturesItReturns() {
        Task0<Integer> boom = Task.of("boom", () -> {
            throw new IllegalStateException("boom");
        });
        // a returned future that failed fails the flow run, though the body did not look at it
        State<TaskFuture<Integer>> failed =
                flow("returns-failed", () -> boom.submit()).callForState();
        assertThat(failed.toString()).isEqualTo("Failed(message='1/1 states failed.', type=FAILED)");
        assertThat(failed.exception()).hasMessage("boom");

        // returned futures that completed complete it, though another run failed
        State<List<TaskFuture<Integer>>> completed = flow("returns-completed", () -> {
                    boom.submit();
                    return List.of(INC.submit(1), INC.submit(2));
                })
                .callForState();
        assertThat(completed.toString()).isEqualTo("Completed(message='All states completed.', type=COMPLETED)");
        assertThat(completed.result()).extracting(TaskFuture::result).containsExactly(2, 3);
    }

    @Test
    public void shouldEndAFlowRunInTheStateItsBodyReturns() {
        State<State<String>> state = flow("returns-state", () -> State.<String>cancelled("not today"))
                .callForState();
        assertThat(state.toString()).isEqualTo("Cancelled(message='not today', type=CANCELLED)");
    }

    @Test
    public void shouldEndCancelledWhenARunWasCancelledEvenBesideAFailure() {
        CompletableFuture<Integer> never = Shared.future();
        Task0<Integer> waiting = Task.async("waiting", () -> never);
        Task0<Integer> boom = Task.of("boom", () -> {
            throw new IllegalStateException("boom");
        });
        State<Void> state = stateOf(flow("cancelled-wins", () -> {
            INC.submit(1).result();
            boom.submit().await();
            TaskFuture<Integer> cancelled = waiting.submit();
            assertThat(cancelled.cancel()).isTrue();
        }));
        assertThat(state.toString()).isEqualTo("Cancelled(message='1/3 states cancelled.', type=CANCELLED)");
    }

    @Test
    public void shouldNameATimedOutRunTimedOutAsPrefectDoes() {
        Task0<Integer> slow = Task.<Integer>of("slow", () -> {
                    new java.util.concurrent.CountDownLatch(1).await(); // until interrupted
                    return 0;
                })
                .withTimeout(Duration.ofMillis(100));
        Shared.Ref<State<Integer>> run = Shared.ref();
        flow("timed-out", () -> {
                    run.set(slow.submit().await());
                })
                .callForState();
        assertThat(run.get().toString())
                .isEqualTo("TimedOut(message='Task run exceeded timeout of 0.1 seconds', type=FAILED)");

        State<Void> flowRun = Flow.of("slow-flow", runner(), () -> {
                    new java.util.concurrent.CountDownLatch(1).await();
                })
                .withTimeout(Duration.ofMillis(100))
                .callForState();
        assertThat(flowRun.name()).isEqualTo("TimedOut");
        assertThat(flowRun.type()).isEqualTo(StateType.FAILED);
        assertThat(flowRun.message()).startsWith("Flow run exceeded timeout of 0.1 seconds");
    }

    @Test
    public void shouldRunATryAfterTheFirstAsRetrying() {
        Shared.Counter tries = Shared.counter();
        CompletableFuture<String> retrying = Shared.future();
        CompletableFuture<Integer> gate = Shared.future();
        Task0<Integer> flaky = Task.async("flaky", () -> {
                    if (tries.incrementAndGet() == 1) {
                        throw new IllegalStateException("first try");
                    }
                    retrying.complete("the second try runs");
                    return gate; // holds the second try in flight while the flow reads its state
                })
                .withRetries(1, Duration.ofMillis(10));
        String seen = flow("retrying", () -> {
                    TaskFuture<Integer> future = flaky.submit();
                    try {
                        retrying.get(30, TimeUnit.SECONDS);
                        // a runner whose calls run elsewhere learns that the try started a moment after it did
                        Conditions.await(
                                "the second try seen to run",
                                () -> future.state().type() == StateType.RUNNING);
                        return future.state().toString();
                    } finally {
                        gate.complete(1);
                        future.result();
                    }
                })
                .call();
        assertThat(seen).isEqualTo("Retrying(message=null, type=RUNNING)");
    }

    @Test
    public void shouldFreeARunsSlotsByTheTimeItIsSeenFinal() {
        String tag = "contract-" + UUID.randomUUID();
        // a store that gives slots back slowly, as a database does: the release must not trail the state
        SlowReleases slow = new SlowReleases(dev.weft.spi.SlotStores.inMemory());
        dev.weft.spi.SlotStore previous = dev.weft.spi.SlotStores.use(slow);
        try (WeftClient client = WeftClient.of(slow)) {
            client.createConcurrencyLimit(tag, 2);
            Task1<Integer, Integer> limited = INC.withTags(tag);
            List<String> stillHeld = new java.util.concurrent.CopyOnWriteArrayList<>();
            flow("slots-when-final", () -> {
                        List<TaskFuture<Integer>> runs = new ArrayList<>();
                        for (int i = 0; i < 10; i++) {
                            runs.add(limited.submit(i));
                        }
                        for (TaskFuture<Integer> run : runs) {
                            run.await();
                            if (client.readConcurrencyLimitByTag(tag)
                                    .orElseThrow()
                                    .activeSlots()
                                    .contains(run.id())) {
                                stillHeld.add(run.name());
                            }
                        }
                    })
                    .call();
            assertThat(stillHeld).as("runs seen final while holding a slot").isEmpty();
        } finally {
            dev.weft.spi.SlotStores.use(previous);
        }
    }

    /** A record that carries futures to a task, as a Prefect user passes a dataclass. */
    public record Pair(Object left, List<Object> right) implements java.io.Serializable {}

    @Test
    public void shouldResolveFuturesInsideRecords() {
        Shared.Ref<Pair> received = Shared.ref();
        Task1<Pair, Void> take = Task.of("take", (Pair pair) -> received.set(pair));
        flow("records", () -> {
                    TaskFuture<String> a = SAY_HELLO.submit("a");
                    TaskFuture<Integer> b = INC.submit(1);
                    take.submit(new Pair(a, List.of(b, "plain"))).result();
                })
                .call();
        assertThat(received.get()).isEqualTo(new Pair("Hello a!", List.of(2, "plain")));
    }

    @Test
    public void shouldLogACallNoWorkerCouldEverRunInOneLine() {
        Task0<Integer> twoGpus = Task.of("two_gpus", () -> 1).withResources(Map.of("GPU", 2));
        List<ch.qos.logback.classic.spi.ILoggingEvent> errors;
        try (LogCapture logs = LogCapture.start()) {
            Flow.of("impossible", runner(Map.of("GPU", 1)), () -> {
                        twoGpus.submit().await();
                    })
                    .callForState();
            errors = logs.events().stream()
                    .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR
                            && e.getFormattedMessage().startsWith("Task run"))
                    .toList();
        }
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.getThrowableProxy()).as("a stack trace").isNull();
            assertThat(e.getFormattedMessage())
                    .matches("Task run 'two_gpus-[0-9a-f]{8}-0' finished in state Crashed\\(message='Task run"
                            + " crashed: No worker of .* can ever run it: it needs \\{GPU=2\\}, and its worker"
                            + "s? ha(s|ve) \\{GPU=1\\}', type=CRASHED\\)");
        });
    }

    @Test
    public void shouldCarryTheFlowRunToThreadsTheBodyStartsWhenAsked() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<Integer> values = flow("carried", () -> {
                        dev.weft.FlowContext context = dev.weft.FlowContext.current();
                        List<TaskFuture<Integer>> fromStream = List.of(1, 2, 3, 4, 5, 6, 7, 8).parallelStream()
                                .map(context.wrap((Integer i) -> INC.submit(i)))
                                .toList();
                        TaskFuture<Integer> fromPool =
                                pool.submit(context.wrap(() -> INC.submit(100))).get();
                        List<Integer> all = new ArrayList<>();
                        fromStream.forEach(f -> all.add(f.result()));
                        all.add(fromPool.result());
                        return all;
                    })
                    .call();
            assertThat(values).containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 101);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void shouldSayWhyASubmitFromAThreadTheBodyStartedFails() {
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "their-pool"));
        try {
            Shared.Ref<Throwable> thrown = Shared.ref();
            flow("not-carried", () -> {
                        try {
                            pool.submit(() -> INC.submit(1)).get();
                        } catch (java.util.concurrent.ExecutionException e) {
                            thrown.set(e.getCause());
                        }
                    })
                    .call();
            assertThat(thrown.get())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("submitted from thread 'their-pool', which no flow run runs on")
                    .hasMessageContaining("task.map(...)")
                    .hasMessageContaining("FlowContext.current().wrap(...)");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void shouldRunCallsNeedingNothingBesideCallsWaitingForAResource() {
        requires(spec().parallel(), "runs one call at a time");
        CompletableFuture<String> gate = Shared.future();
        Task0<String> needsProcess = Task.of("needs_process", () -> "ran").withResources(Map.of("process", 1));
        Task0<String> needsNothing = Task.of("needs_nothing", () -> "free");
        Task0<String> needsGpu = Task.of("needs_gpu", () -> "gpu").withResources(Map.of("GPU", 1));
        Flow.of("beside", runner(Map.of("GPU", 1, "process", 1)), () -> {
                    TaskFuture<String> holder = holdsProcess(gate).submit();
                    List<TaskFuture<String>> waiting = new ArrayList<>();
                    try {
                        awaitRunning(holder);
                        for (int i = 0; i < 50; i++) {
                            waiting.add(needsProcess.submit());
                        }
                        // Fifty calls wait for the process, holding no thread: free calls still run.
                        assertThat(needsNothing.submit().result()).isEqualTo("free");
                        assertThat(needsGpu.submit().result()).isEqualTo("gpu");
                        assertThat(waiting).allMatch(f -> f.state().type() == StateType.PENDING);
                    } finally {
                        gate.complete("open");
                    }
                    assertThat(TaskFuture.gather(waiting).result()).hasSize(50).containsOnly("ran");
                })
                .call();
    }
}
