package dev.weft;

import static dev.weft.contract.Conditions.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.contract.CountingStore;
import dev.weft.internal.Limiter;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tag concurrency limits inside one process, with the in-memory store core falls back to. */
@SuppressWarnings("try") // scopes work by being open
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ConcurrencyLimitsTest {
    private SlotStore previous;
    private SlotStore store;
    private WeftClient client;

    @BeforeEach
    void freshStore() {
        store = Limiter.open(Settings.load()); // memory: no store module on core's class path
        previous = SlotStores.use(store);
        client = WeftClient.open();
    }

    @AfterEach
    void restore() {
        SlotStores.use(previous);
    }

    /** Counts runs inside a body and remembers the most at once. */
    static final class Gauge {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        int enter() {
            int n = now.incrementAndGet();
            most.accumulateAndGet(n, Math::max);
            return n;
        }

        void exit() {
            now.decrementAndGet();
        }
    }

    @Test
    void shouldNeverRunMoreTaggedRunsAtOnceThanTheLimit() {
        client.createConcurrencyLimit("small_instance", 2);
        Gauge gauge = new Gauge();
        Task1<Integer, Integer> work = Task.of("work", (Integer i) -> {
                    gauge.enter();
                    try {
                        Thread.sleep(2);
                        return i;
                    } finally {
                        gauge.exit();
                    }
                })
                .withTags("small_instance");

        int sum = Flow.of("limited", new ConcurrentTaskRunner(), () -> {
                    List<TaskFuture<Integer>> runs = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        runs.add(work.submit(i));
                    }
                    return runs.stream().mapToInt(TaskFuture::result).sum();
                })
                .call();

        assertThat(sum).isEqualTo(199 * 200 / 2);
        assertThat(gauge.most.get()).isEqualTo(2);
        assertThat(client.readConcurrencyLimitByTag("small_instance")
                        .orElseThrow()
                        .activeSlots())
                .isEmpty();
    }

    /**
     * Property: a tagged run that queues while slots come free is queued once and goes to its runner once,
     * however the attempt that queued it and the release that retries its tag interleave. A double move
     * throws (a run cannot start, or queue, twice): on the runner's thread, or failing the flow; a double
     * start could leave the flow waiting forever.
     */
    @Test
    void shouldStartEveryQueuedRunOnceWhileSlotsComeAndGoFast() throws InterruptedException {
        client.createConcurrencyLimit("busy", 4);
        Task1<Integer, Integer> noop = Task.of("noop", (Integer i) -> i).withTags("busy");
        List<Throwable> uncaught = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            for (int round = 0; round < 30; round++) {
                long sum = Flow.of("busy-tags", new ConcurrentTaskRunner(), () -> {
                            List<TaskFuture<Integer>> runs = new ArrayList<>();
                            for (int i = 0; i < 5_000; i++) {
                                runs.add(noop.submit(i));
                            }
                            long total = 0;
                            for (TaskFuture<Integer> run : runs) {
                                total += run.result();
                            }
                            return total;
                        })
                        .call();
                assertThat(sum).isEqualTo(4_999L * 5_000 / 2);
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        assertThat(uncaught).as("runs started twice").isEmpty();
    }

    @Test
    void shouldQueueARunWithoutASlotAndStartItAsSoonAsOneIsReleased() throws InterruptedException {
        client.createConcurrencyLimit("db", 1);
        CompletableFuture<Integer> holdFirst = new CompletableFuture<>();
        CountDownLatch secondStarted = new CountDownLatch(1);
        Task0<Integer> first = Task.async("first", () -> holdFirst).withTags("db");
        Task0<Integer> second = Task.of("second", () -> {
                    secondStarted.countDown();
                    return 2;
                })
                .withTags("db");

        CountDownLatch checked = new CountDownLatch(1);
        Flow.of("queued", new ConcurrentTaskRunner(), () -> {
                    TaskFuture<Integer> a = first.submit();
                    await("the first run to hold the slot", () -> a.state().isRunning());
                    TaskFuture<Integer> b = second.submit();
                    await("the second run to queue", () -> b.state().type() == StateType.QUEUED);
                    assertThat(b.state().message())
                            .isEqualTo("Waiting for a concurrency slot on tag 'db': all 1 slot is taken");
                    assertThat(client.readConcurrencyLimitByTag("db")
                                    .orElseThrow()
                                    .activeSlots())
                            .hasSize(1);
                    assertThat(secondStarted.getCount()).isEqualTo(1);
                    holdFirst.complete(1); // the release hands the slot over now, not after the slot wait
                    checked.countDown();
                    return a.result() + b.result();
                })
                .call();
        assertThat(checked.await(0, TimeUnit.SECONDS)).isTrue();
        assertThat(secondStarted.await(0, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldStartAQueuedRunWellBeforeTheSlotWaitWhenTheSlotIsReleasedInThisProcess() {
        // The default slot wait is 30 s, the test's timeout 60 s: a run that waited for a retry would
        // push a batch of 50 queued hand-overs far past it.
        client.createConcurrencyLimit("one_at_a_time", 1);
        Task1<Integer, Integer> work = Task.of("work", (Integer i) -> i).withTags("one_at_a_time");
        long start = System.nanoTime();
        int sum = Flow.of("hand-over", new ConcurrentTaskRunner(), () -> {
                    List<TaskFuture<Integer>> runs = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        runs.add(work.submit(i));
                    }
                    return runs.stream().mapToInt(TaskFuture::result).sum();
                })
                .call();
        assertThat(sum).isEqualTo(49 * 50 / 2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Settings.DEFAULT_SLOT_WAIT);
    }

    @Test
    void shouldAbortARunWhoseTagHasALimitOfZero() {
        client.createConcurrencyLimit("never", 0);
        AtomicInteger ran = new AtomicInteger();
        Task0<Integer> task = Task.of("blocked", ran::incrementAndGet).withTags("never");

        AtomicReference<TaskFuture<Integer>> run = new AtomicReference<>();
        State<Void> flow = Flow.of("zero", new ConcurrentTaskRunner(), () -> {
                    run.set(task.submit());
                })
                .callForState();
        State<Integer> state = run.get().state();

        assertThat(ran).hasValue(0);
        assertThat(state.type()).isEqualTo(StateType.CANCELLED);
        assertThat(state.name()).isEqualTo("Aborted");
        assertThat(state.message())
                .startsWith("Aborted: the concurrency limit on tag 'never' is 0, so task run 'blocked-")
                .endsWith("can never run; raise the limit or delete it to run the tag's tasks");
        assertThat(flow.type()).isEqualTo(StateType.CANCELLED);
    }

    @Test
    void shouldRunARunWithTwoTagsOnlyOnceBothHaveASlot() {
        client.createConcurrencyLimit("a", 1);
        client.createConcurrencyLimit("b", 1);
        CompletableFuture<Integer> releaseA = new CompletableFuture<>();
        CompletableFuture<Integer> releaseB = new CompletableFuture<>();
        Task0<Integer> holdsA = Task.async("holds_a", () -> releaseA).withTags("a");
        Task0<Integer> holdsB = Task.async("holds_b", () -> releaseB).withTags("b");
        Task0<Integer> needsBoth = Task.of("needs_both", () -> 3).withTags("a", "b");

        int total = Flow.of("two-tags", new ConcurrentTaskRunner(), () -> {
                    TaskFuture<Integer> x = holdsA.submit();
                    TaskFuture<Integer> y = holdsB.submit();
                    await(
                            "both holders to run",
                            () -> x.state().isRunning() && y.state().isRunning());
                    TaskFuture<Integer> z = needsBoth.submit();
                    await("the run with two tags to queue", () -> z.state().type() == StateType.QUEUED);
                    releaseA.complete(1);
                    x.result();
                    await(
                            "the run to queue on the other tag",
                            () -> z.state().type() == StateType.QUEUED
                                    && z.state().message().contains("tag 'b'"));
                    assertThat(client.readConcurrencyLimitByTag("a")
                                    .orElseThrow()
                                    .activeSlots())
                            .as("all or nothing: no slot on a while b is full")
                            .isEmpty();
                    releaseB.complete(2);
                    return y.result() + z.result();
                })
                .call();
        assertThat(total).isEqualTo(5);
    }

    @Test
    void shouldFailARunInASubflowThatNeedsTheSlotItsCallerHolds() {
        client.createConcurrencyLimit("db", 1);
        Task0<Integer> inner = Task.of("inner", () -> 1).withTags("db");
        Flow<Integer> subflow =
                Flow.of("sub", new ConcurrentTaskRunner(), () -> inner.submit().result());
        Task0<Integer> outer = Task.of("outer", subflow::call).withTags("db");

        State<Integer> state = Flow.of("deadlock", new ConcurrentTaskRunner(), () -> outer.submit()
                        .result())
                .callForState();

        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(state.exception())
                .isInstanceOf(RunFailedException.class)
                .rootCause()
                .isInstanceOf(ConcurrencyDeadlockException.class)
                .hasMessageStartingWith("Task run 'inner-")
                .hasMessageContaining("needs a slot on tag 'db' (limit 1)")
                .hasMessageContaining("task run 'outer-")
                .hasMessageContaining("holds one while it waits on subflow run '")
                .hasMessageContaining("Waiting would deadlock");
        assertThat(client.readConcurrencyLimitByTag("db").orElseThrow().activeSlots())
                .isEmpty();
    }

    @Test
    void shouldFailATaggedCallInPlaceThatNeedsTheSlotItsCallerHolds() {
        client.createConcurrencyLimit("db", 1);
        Task0<Integer> inner = Task.of("inner", () -> 1).withTags("db");
        Task0<Integer> outer = Task.of("outer", inner::call).withTags("db");

        State<Integer> state = Flow.of("in-place", new ConcurrentTaskRunner(), () -> outer.submit()
                        .result())
                .callForState();

        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(state.exception())
                .rootCause()
                .hasMessageContaining("needs a slot on tag 'db'")
                .hasMessageContaining("this run, which it called in place");
    }

    @Test
    void shouldLetASubflowRunWhenItsCallersSlotIsNotTheLastOne() {
        client.createConcurrencyLimit("db", 2);
        Task0<Integer> inner = Task.of("inner", () -> 1).withTags("db");
        Flow<Integer> subflow =
                Flow.of("sub", new ConcurrentTaskRunner(), () -> inner.submit().result());
        Task0<Integer> outer = Task.of("outer", subflow::call).withTags("db");

        assertThat(Flow.of("no-deadlock", new ConcurrentTaskRunner(), () -> outer.submit()
                                .result())
                        .call())
                .isEqualTo(1);
    }

    @Test
    void shouldFailOneOfTwoCallersThatEachWaitForTheOthersSlot() {
        // Two outer runs hold both slots, each waits on a subflow whose run needs one: one of the inner
        // runs fails, its caller fails and frees its slot, and the other inner run then gets it.
        client.createConcurrencyLimit("db", 2);
        CountDownLatch bothHolding = new CountDownLatch(2);
        Task0<Integer> inner = Task.of("inner", () -> 1).withTags("db");
        Flow<Integer> subflow =
                Flow.of("sub", new ConcurrentTaskRunner(), () -> inner.submit().result());
        Task0<Integer> outer = Task.of("outer", () -> {
                    bothHolding.countDown();
                    bothHolding.await();
                    return subflow.call();
                })
                .withTags("db");

        State<Void> state = Flow.of("cycle", new ConcurrentTaskRunner(), () -> {
                    TaskFuture<Integer> x = outer.submit();
                    TaskFuture<Integer> y = outer.submit();
                    x.await();
                    y.await();
                })
                .callForState();

        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(state.message()).isEqualTo("2/4 states failed.");
        assertThat(state.exception()).hasMessageContaining("Waiting would deadlock");
    }

    @Test
    void shouldTakeTagsFromTheTaskTheCallAndTheScope() {
        client.createConcurrencyLimit("scoped", 1);
        client.createConcurrencyLimit("own", 1);
        AtomicInteger seen = new AtomicInteger();
        Task0<Integer> probe = Task.of("probe", () -> {
                    Optional<ConcurrencyLimit> scoped = client.readConcurrencyLimitByTag("scoped");
                    Optional<ConcurrencyLimit> own = client.readConcurrencyLimitByTag("own");
                    seen.set(scoped.orElseThrow().activeSlots().size() * 10
                            + own.orElseThrow().activeSlots().size());
                    return 0;
                })
                .withTags("own");
        Flow.of("scope-tags", new ConcurrentTaskRunner(), () -> {
                    try (Annotate tags = Annotate.tags("scoped")) {
                        probe.submit().result();
                    }
                })
                .call();
        assertThat(seen).hasValue(11);
        assertThat(probe.withTags("more", "own").tags()).containsExactly("own", "more");
    }

    @Test
    void shouldHoldASlotForATaggedTaskCalledInPlace() {
        client.createConcurrencyLimit("db", 1);
        Task0<Integer> probe = Task.of("probe", () -> client.readConcurrencyLimitByTag("db")
                        .orElseThrow()
                        .activeSlots()
                        .size())
                .withTags("db");
        int held = Flow.of("in-place", new SequentialTaskRunner(), () -> probe.call())
                .call();
        assertThat(held).isEqualTo(1);
        assertThat(client.readConcurrencyLimitByTag("db").orElseThrow().activeSlots())
                .isEmpty();
    }

    @Test
    void shouldRunTagsWithoutALimitFreelyWithoutAskingTheStore() {
        AtomicInteger calls = new AtomicInteger();
        SlotStores.use(new CountingStore(store, calls));
        Task0<Integer> free = Task.of("free", () -> 1).withTags("unlimited");
        assertThat(Flow.of(
                                "free",
                                new ConcurrentTaskRunner(),
                                () -> free.submit().result() + free.call())
                        .call())
                .isEqualTo(2);
        assertThat(calls).as("calls to acquire, release or renew").hasValue(0);
    }

    @Test
    void shouldNotTouchTheStoreForRunsWithoutTags() {
        AtomicInteger calls = new AtomicInteger();
        SlotStores.use(new CountingStore(store, calls));
        Task1<Integer, Integer> work = Task.of("untagged", (Integer i) -> i);
        int sum = Flow.of("untagged", new ConcurrentTaskRunner(), () -> {
                    int s = 0;
                    for (int i = 0; i < 100; i++) {
                        s += work.submit(i).result() + work.call(i);
                    }
                    return s;
                })
                .call();
        assertThat(sum).isEqualTo(2 * 99 * 100 / 2);
        assertThat(calls).hasValue(0);
    }

    @Test
    void shouldStartQueuedRunsWhenTheirLimitIsDeleted() {
        client.createConcurrencyLimit("db", 1);
        CompletableFuture<Integer> hold = new CompletableFuture<>();
        Task0<Integer> holder = Task.async("holder", () -> hold).withTags("db");
        Task0<Integer> waiting = Task.of("waiting", () -> 2).withTags("db");
        int value = Flow.of("deleted", new ConcurrentTaskRunner(), () -> {
                    TaskFuture<Integer> a = holder.submit();
                    await("the holder to run", () -> a.state().isRunning());
                    TaskFuture<Integer> b = waiting.submit();
                    await("the second run to queue", () -> b.state().type() == StateType.QUEUED);
                    assertThat(client.deleteConcurrencyLimitByTag("db")).isTrue();
                    int second = b.result(); // runs while the first still holds what was its slot
                    hold.complete(1);
                    return a.result() + second;
                })
                .call();
        assertThat(value).isEqualTo(3);
    }

    @Test
    void shouldGiveBackTheSlotOfARunThatCrashedAndStartTheNextOne() {
        client.createConcurrencyLimit("db", 1);
        Task0<Integer> crashes = Task.<Integer>of("crashes", () -> {
                    throw new OutOfMemoryError("simulated");
                })
                .withTags("db");
        Task0<Integer> next = Task.of("next", () -> 2).withTags("db");
        AtomicReference<TaskFuture<Integer>> crashed = new AtomicReference<>();
        AtomicReference<TaskFuture<Integer>> after = new AtomicReference<>();

        State<Void> flow = Flow.of("crash", new ConcurrentTaskRunner(), () -> {
                    crashed.set(crashes.submit());
                    after.set(next.submit());
                })
                .callForState();

        assertThat(crashed.get().state().type()).isEqualTo(StateType.CRASHED);
        assertThat(after.get().result()).isEqualTo(2);
        assertThat(flow.type()).isEqualTo(StateType.FAILED);
        assertThat(client.readConcurrencyLimitByTag("db").orElseThrow().activeSlots())
                .isEmpty();
    }

    @Test
    void shouldListTheIdsOfTheRunsThatHoldSlots() {
        client.createConcurrencyLimit("db", 2);
        CompletableFuture<Integer> hold = new CompletableFuture<>();
        Task0<Integer> holder = Task.async("holder", () -> hold).withTags("db");
        Flow.of("ids", new ConcurrentTaskRunner(), () -> {
                    TaskFuture<Integer> a = holder.submit();
                    TaskFuture<Integer> b = holder.submit();
                    await(
                            "both to run",
                            () -> a.state().isRunning() && b.state().isRunning());
                    assertThat(client.readConcurrencyLimitByTag("db")
                                    .orElseThrow()
                                    .activeSlots())
                            .containsExactlyInAnyOrder(a.id(), b.id());
                    assertThat(a.id()).isNotEqualTo(b.id()).isSameAs(a.id());
                    assertThat(a.id().version()).isEqualTo(4); // random
                    assertThat(a.id().variant()).isEqualTo(2); // IETF
                    hold.complete(1);
                    return a.result() + b.result();
                })
                .call();
    }

    @Test
    void shouldRefuseInvalidTagsWithAMessageNamingTheProblem() {
        Task0<Integer> task = Task.of("t", () -> 1);
        assertThatThrownBy(() -> task.withTags("")).hasMessage("A tag must not be empty");
        assertThatThrownBy(() -> task.withTags("a".repeat(256)))
                .hasMessage("A tag must be at most 255 characters, not 256");
        assertThatThrownBy(() -> task.withTags("bad\ttag"))
                .hasMessage("A tag must not contain control characters (found U+0009 at index 3)");
        assertThatThrownBy(() -> Annotate.tags(" ")).hasMessage("A tag must not be empty");
        // "db " would be a limit of its own that no one sees
        assertThatThrownBy(() -> task.withTags("db ")).hasMessage("A tag must not begin or end with spaces: 'db '");
        assertThatThrownBy(() -> client.createConcurrencyLimit(" db", 1))
                .hasMessage("A tag must not begin or end with spaces: ' db'");
        assertThatThrownBy(() -> client.createConcurrencyLimit("db", -1))
                .hasMessage("A concurrency limit must be 0 or more, not -1");
    }

    @Test
    void shouldKeepALimitsIdWhenItIsSetAgainAndFreeItsSlotsOnReset() {
        UUID id = client.createConcurrencyLimit("db", 1);
        assertThat(client.createConcurrencyLimit("db", 3)).isEqualTo(id);
        assertThat(client.readConcurrencyLimits()).singleElement().satisfies(l -> assertThat(l.limit())
                .isEqualTo(3));
        CompletableFuture<Integer> hold = new CompletableFuture<>();
        Task0<Integer> holder = Task.async("holder", () -> hold).withTags("db");
        Flow.of("reset", new ConcurrentTaskRunner(), () -> {
                    TaskFuture<Integer> a = holder.submit();
                    await("the holder to run", () -> a.state().isRunning());
                    assertThat(client.readConcurrencyLimitByTag("db")
                                    .orElseThrow()
                                    .activeSlots())
                            .hasSize(1);
                    assertThat(client.resetConcurrencyLimitByTag("db")).isTrue();
                    assertThat(client.readConcurrencyLimitByTag("db")
                                    .orElseThrow()
                                    .activeSlots())
                            .isEmpty();
                    hold.complete(1);
                    return a.result();
                })
                .call();
        assertThat(client.resetConcurrencyLimitByTag("nothing")).isFalse();
        assertThat(client.deleteConcurrencyLimitByTag("nothing")).isFalse();
    }

    @Test
    void shouldSayWhenAQueuedRunGetsItsSlots() {
        client.createConcurrencyLimit("db", 1);
        java.util.concurrent.CompletableFuture<Integer> gate = new java.util.concurrent.CompletableFuture<>();
        Task0<Integer> first = Task.async("first", () -> gate).withTags("db");
        Task0<Integer> second = Task.of("second", () -> 2).withTags("db");
        List<String> lines;
        try (dev.weft.contract.LogCapture logs = dev.weft.contract.LogCapture.start()) {
            Flow.of("slots", new ConcurrentTaskRunner(), () -> {
                        first.submit();
                        TaskFuture<Integer> next = second.submit();
                        await("the second run to queue", () -> next.state().isQueued());
                        gate.complete(1);
                        next.result();
                    })
                    .call();
            lines = logs.lines();
        }
        assertThat(lines)
                .anyMatch(line -> line.matches(
                        "Task run 'second-" + second.key() + "-0' got its concurrency slots after [0-9.]+m?s queued"));
    }
}
