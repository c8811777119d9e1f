package dev.weft;

import static dev.weft.MapTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TaskFuture#waitAll} and {@link TaskFuture#asCompleted}, driven by stages the test completes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class WaitManyTest {
    static final Task1<Integer, Integer> INC = Task.of("inc", (Integer x) -> x + 1);
    static final Task0<Integer> BOOM = Task.of("boom", () -> {
        throw new IllegalStateException("boom");
    });

    /** Asynchronous runs that stay in flight until the test completes their gates. */
    static final class Gates {
        final List<CompletableFuture<Integer>> gates;
        final Task1<Integer, Integer> held;

        Gates(int n) {
            gates = IntStream.range(0, n)
                    .mapToObj(i -> new CompletableFuture<Integer>())
                    .toList();
            held = Task.async("held", (Integer i) -> gates.get(i));
        }

        void open(int i) {
            gates.get(i).complete(i);
        }

        void openAll() {
            gates.forEach(g -> g.complete(-1));
        }

        /**
         * Waits until every gate has the engine's callback on it, so that completing a gate ends its run on
         * the completing thread, before {@code complete} returns.
         */
        void awaitAllInFlight() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (CompletableFuture<Integer> gate : gates) {
                while (gate.getNumberOfDependents() == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("a held run did not start");
                    }
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** Runs a flow whose runs may fail, rethrowing an assertion that failed inside its body. */
    static <R> State<R> stateOf(Flow<R> flow) {
        State<R> state = flow.callForState();
        for (Throwable cause = state.exception(); cause != null; cause = cause.getCause()) {
            if (cause instanceof AssertionError assertion) {
                throw assertion;
            }
        }
        return state;
    }

    // ---- waitAll ----------------------------------------------------------------------------------

    @Test
    void shouldSplitDoneFromInFlightRunsInInputOrderWhenTheTimeoutPasses() {
        Gates gates = new Gates(3);
        State<Void> state = stateOf(Flow.of("wait-all-timeout", () -> {
            try {
                TaskFuture<Integer> heldA = gates.held.submit(0);
                TaskFuture<Integer> one = INC.submit(0);
                TaskFuture<Integer> heldB = gates.held.submit(1);
                TaskFuture<Integer> failed = BOOM.submit();
                TaskFuture<Integer> heldC = gates.held.submit(2);
                one.await();
                failed.await();
                gates.awaitAllInFlight();
                gates.open(1);

                Done<Integer> done =
                        TaskFuture.waitAll(List.of(heldA, one, heldB, failed, heldC), Duration.ofMillis(20));

                assertThat(done.done()).containsExactly(one, heldB, failed);
                assertThat(done.notDone()).containsExactly(heldA, heldC);
                assertThat(done.allDone()).isFalse();
                assertThat(failed.state().isFailed()).isTrue();
            } finally {
                gates.openAll();
            }
        }));
        assertThat(state.toString()).isEqualTo("Failed(message='1/5 states failed.', type=FAILED)");
    }

    @Test
    void shouldWaitForEveryRunWithoutATimeoutAndNotThrowForFailedOnes() {
        Gates gates = new Gates(4);
        State<Void> state = stateOf(Flow.of("wait-all", () -> {
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    futures.add(gates.held.submit(i));
                }
                futures.add(BOOM.submit());
                gates.awaitAllInFlight();
                Thread opener = Thread.ofPlatform().start(() -> {
                    for (int i = 3; i >= 0; i--) {
                        gates.open(i);
                    }
                });
                Done<Integer> done = TaskFuture.waitAll(futures);
                assertThat(done.allDone()).isTrue();
                assertThat(done.done()).containsExactlyElementsOf(futures);
                assertThat(done.notDone()).isEmpty();
                opener.join();
            } finally {
                gates.openAll();
            }
            assertThat(futures.get(4).state().isFailed()).isTrue();
        }));
        assertThat(state.toString()).isEqualTo("Failed(message='1/5 states failed.', type=FAILED)");
    }

    @Test
    void shouldOnlyLookWithAZeroTimeoutAndKeepRepeatedFuturesPerOccurrence() {
        Gates gates = new Gates(1);
        run(Flow.of("wait-all-zero", () -> {
            try {
                TaskFuture<Integer> held = gates.held.submit(0);
                TaskFuture<Integer> one = INC.submit(0);
                one.await();
                Done<Integer> done = TaskFuture.waitAll(List.of(one, held, one, held), Duration.ZERO);
                assertThat(done.done()).containsExactly(one, one);
                assertThat(done.notDone()).containsExactly(held, held);
                assertThat(TaskFuture.waitAll(List.<TaskFuture<Integer>>of()))
                        .isEqualTo(new Done<Integer>(List.of(), List.of()));
            } finally {
                gates.openAll();
            }
        }));
    }

    // ---- asCompleted ------------------------------------------------------------------------------

    @Test
    void shouldYieldAThousandFuturesInTheExactOrderTheirRunsEnd() {
        int n = 1_000;
        Gates gates = new Gates(n);
        List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        Collections.shuffle(order, new Random(42));
        run(Flow.of("as-completed", () -> {
            try {
                List<TaskFuture<Integer>> futures =
                        gates.held.map(IntStream.range(0, n).boxed().toList());
                gates.awaitAllInFlight();
                Iterator<TaskFuture<Integer>> it =
                        TaskFuture.asCompleted(futures).iterator();
                List<TaskFuture<Integer>> yielded = new ArrayList<>(n);
                for (int i : order) {
                    gates.open(i);
                    // The run ended on this thread, inside complete(): the next future is there already.
                    assertThat(it.hasNext()).isTrue();
                    yielded.add(it.next());
                }
                assertThat(it.hasNext()).isFalse();
                assertThat(yielded)
                        .containsExactlyElementsOf(
                                order.stream().map(futures::get).toList());
                assertThat(yielded).extracting(TaskFuture::result).containsExactlyElementsOf(order);
            } finally {
                gates.openAll();
            }
        }));
    }

    @Test
    void shouldYieldRunsThatEndedBeforeTheCallFirstInInputOrder() {
        Gates gates = new Gates(2);
        State<Void> state = stateOf(Flow.of("already-ended", () -> {
            try {
                TaskFuture<Integer> heldA = gates.held.submit(0);
                TaskFuture<Integer> two = INC.submit(1);
                TaskFuture<Integer> heldB = gates.held.submit(1);
                TaskFuture<Integer> failed = BOOM.submit();
                two.await();
                failed.await();
                gates.awaitAllInFlight();
                Iterable<TaskFuture<Integer>> inOrder = TaskFuture.asCompleted(List.of(heldA, two, heldB, failed, two));
                gates.open(1);
                gates.open(0);
                List<TaskFuture<Integer>> yielded = new ArrayList<>();
                inOrder.forEach(yielded::add);
                assertThat(yielded).containsExactly(two, failed, two, heldB, heldA);
                assertThatThrownBy(inOrder::iterator)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("can be iterated only once");
            } finally {
                gates.openAll();
            }
        }));
        assertThat(state.toString()).isEqualTo("Failed(message='1/4 states failed.', type=FAILED)");
    }

    @Test
    void shouldThrowNamingHowManyHadEndedWhenTheTimeoutPasses() {
        Gates gates = new Gates(5);
        run(Flow.of("as-completed-timeout", () -> {
            try {
                List<TaskFuture<Integer>> futures = gates.held.map(List.of(0, 1, 2, 3, 4));
                gates.awaitAllInFlight();
                Iterator<TaskFuture<Integer>> it =
                        TaskFuture.asCompleted(futures, Duration.ofMillis(50)).iterator();
                gates.open(3);
                gates.open(0);
                gates.open(4);
                assertThat(it.next()).isSameAs(futures.get(3));
                assertThat(it.next()).isSameAs(futures.get(0));
                assertThat(it.next()).isSameAs(futures.get(4));
                assertThat(it.hasNext()).isTrue();
                assertThatThrownBy(it::next)
                        .isInstanceOfSatisfying(WaitTimeoutException.class, e -> {
                            assertThat(e.ended()).isEqualTo(3);
                            assertThat(e.total()).isEqualTo(5);
                        })
                        .isInstanceOf(WeftException.class)
                        .hasMessage("asCompleted timed out after PT0.05S: 3 of 5 futures had ended");
                // A run that ends after the timeout is still handed out when asked for.
                gates.open(1);
                assertThat(it.next()).isSameAs(futures.get(1));
            } finally {
                gates.openAll();
            }
        }));
    }

    @Test
    void shouldNotDeadlockWhenWaitingInsideASequentialTaskOnSiblingsQueuedBehindIt() {
        // On a sequential runner the children are queued behind the parent that waits for them: the waiting
        // thread must run them itself.
        Task1<Integer, Integer> parent = Task.of("parent", (Integer n) -> {
            List<TaskFuture<Integer>> children =
                    INC.map(IntStream.range(0, n).boxed().toList());
            assertThat(children).allSatisfy(c -> assertThat(c.isDone()).isFalse());
            int sum = 0;
            for (TaskFuture<Integer> child : TaskFuture.asCompleted(children, Duration.ofSeconds(30))) {
                sum += child.result();
            }
            List<TaskFuture<Integer>> more = INC.map(List.of(100, 200));
            assertThat(TaskFuture.waitAll(more).allDone()).isTrue();
            return sum + more.get(0).result() + more.get(1).result();
        });
        int value = run(Flow.of("sequential-wait", new SequentialTaskRunner(), () -> parent.submit(4)
                .result()));
        assertThat(value).isEqualTo(1 + 2 + 3 + 4 + 101 + 201);
    }

    @Test
    void shouldThrowAndKeepTheInterruptFlagWhenInterruptedWhileWaiting() {
        Gates gates = new Gates(1);
        run(Flow.of("interrupted", () -> {
            try {
                TaskFuture<Integer> held = gates.held.submit(0);
                Iterator<TaskFuture<Integer>> it =
                        TaskFuture.asCompleted(List.of(held)).iterator();
                Thread.currentThread().interrupt();
                assertThatThrownBy(it::next)
                        .isInstanceOf(WeftException.class)
                        .hasMessage("Interrupted in asCompleted while waiting for runs to end: 0 of 1 futures"
                                + " had ended");
                assertThat(Thread.interrupted()).isTrue();
            } finally {
                gates.openAll();
            }
        }));
    }

    @Test
    void shouldRejectFuturesThatWeftDidNotMake() {
        TaskFuture<Integer> foreign = new ForeignFuture();
        assertThatThrownBy(() -> TaskFuture.asCompleted(List.of(foreign)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("asCompleted: not a Weft future: foreign (")
                .hasMessageEndingWith("); only futures returned by Weft can be waited on");
        assertThatThrownBy(() -> TaskFuture.waitAll(List.of(foreign), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("waitAll: not a Weft future");
        assertThatThrownBy(() -> TaskFuture.waitAll(List.of(), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("timeout");
    }

    /** A future that Weft did not make. */
    static final class ForeignFuture implements TaskFuture<Integer> {
        @Override
        public String name() {
            return "foreign";
        }

        @Override
        public UUID id() {
            return new UUID(0, 0);
        }

        @Override
        public boolean cancel() {
            return false;
        }

        @Override
        public State<Integer> state() {
            return State.completed(1);
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Integer result() {
            return 1;
        }

        @Override
        public Object resultOrException() {
            return 1;
        }

        @Override
        public State<Integer> await() {
            return state();
        }

        @Override
        public java.util.Optional<State<Integer>> await(Duration timeout) {
            return java.util.Optional.of(state());
        }

        @Override
        public String toString() {
            return "foreign";
        }
    }
}
