package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@SuppressWarnings("try") // scopes work by being open, not by being referenced
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class AnnotateTest {
    static final Task0<Integer> ONE = Task.of("one", () -> 1);

    /** What the runner sees of a submitted call. */
    private static TaskRunner.Call seenByRunner(TaskFuture<?> future) {
        return (TaskRunner.Call) future;
    }

    @Test
    void shouldGiveCallsSubmittedInsideTheScopeItsPriorityAndResources() {
        Flow.of("scopes", new ConcurrentTaskRunner(Map.of("GPU", 2)), () -> {
                    TaskFuture<Integer> outside = ONE.submit();
                    try (Annotate outer = Annotate.of(10, Map.of("GPU", 1))) {
                        TaskFuture<Integer> inOuter = ONE.submit();
                        try (Annotate inner = Annotate.priority(-5)) {
                            TaskFuture<Integer> inInner = ONE.submit();
                            assertThat(seenByRunner(inInner).priority()).isEqualTo(-5);
                            assertThat(seenByRunner(inInner).resources()).isEqualTo(Resources.of("GPU", 1));
                        }
                        TaskFuture<Integer> afterInner = ONE.submit();
                        assertThat(seenByRunner(inOuter).priority()).isEqualTo(10);
                        assertThat(seenByRunner(afterInner).priority()).isEqualTo(10);
                    }
                    TaskFuture<Integer> after = ONE.submit();
                    assertThat(seenByRunner(outside).priority()).isZero();
                    assertThat(seenByRunner(outside).resources()).isEqualTo(Resources.NONE);
                    assertThat(seenByRunner(after).priority()).isZero();
                    assertThat(seenByRunner(after).resources()).isEqualTo(Resources.NONE);
                })
                .call();
    }

    @Test
    void shouldLetATasksOwnOptionsWinOverTheScope() {
        Flow.of("precedence", new ConcurrentTaskRunner(Map.of("GPU", 1, "process", 1)), () -> {
                    try (Annotate scope = Annotate.of(10, Map.of("GPU", 1))) {
                        TaskFuture<Integer> own = ONE.withPriority(3)
                                .withResources(Map.of("process", 1))
                                .submit();
                        assertThat(seenByRunner(own).priority()).isEqualTo(3);
                        assertThat(seenByRunner(own).resources()).isEqualTo(Resources.of("process", 1));
                    }
                })
                .call();
    }

    @Test
    void shouldNotReachIntoTheBodiesOfTasksRunOnTheScopesThread() {
        // The sequential runner runs a ready task on the submitting thread, inside the scope; what that
        // task submits must not inherit it (here, it would need a GPU its subflow's runner lacks).
        Task0<Integer> inner = Task.of("inner", () -> 1);
        Flow<Integer> subflow = Flow.of(
                "subflow", new ConcurrentTaskRunner(), () -> inner.submit().result());
        Task0<Integer> outer = Task.of("outer", subflow::call);
        int value = Flow.of("scope-thread", new SequentialTaskRunner(Map.of("GPU", 1)), () -> {
                    try (Annotate gpu = Annotate.resources(Map.of("GPU", 1))) {
                        return outer.submit().result() + outer.call();
                    }
                })
                .call();
        assertThat(value).isEqualTo(2);
    }

    @Test
    void shouldRefuseToCloseOutOfOrderOrOnAnotherThread() throws InterruptedException {
        Annotate outer = Annotate.priority(1);
        Annotate inner = Annotate.priority(2);
        assertThatThrownBy(outer::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("innermost");
        AtomicReference<Throwable> elsewhere = new AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                inner.close();
            } catch (Throwable t) {
                elsewhere.set(t);
            }
        });
        other.join();
        assertThat(elsewhere.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("thread");
        inner.close();
        outer.close();
        outer.close(); // closing twice does nothing
    }
}
