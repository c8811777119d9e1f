package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.contract.TaskRunnerContract;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

final class SequentialTaskRunnerTest extends TaskRunnerContract {

    @Override
    protected TaskRunner runner() {
        return new SequentialTaskRunner();
    }

    @Override
    protected TaskRunner runner(Map<String, ? extends Number> workerResources) {
        return new SequentialTaskRunner(workerResources);
    }

    @Test
    void shouldRunSubmittedTasksOneAtATimeInSubmissionOrder() {
        List<Integer> floors = new CopyOnWriteArrayList<>();
        Task1<Integer, Void> stopAtFloor = Task.of("stop_at_floor", (Integer floor) -> {
            floors.add(floor);
        });
        Flow.of("elevator", () -> {
                    for (int floor = 1; floor < 10; floor++) {
                        stopAtFloor.submit(floor);
                    }
                })
                .withTaskRunner(SequentialTaskRunner.class)
                .call();
        assertThat(floors).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void shouldRunAReadyTaskOnTheSubmittingThreadBeforeSubmitReturns() {
        Thread[] ranOn = new Thread[1];
        Task0<Void> where = Task.of("where", () -> {
            ranOn[0] = Thread.currentThread();
        });
        Flow.of("inline", () -> {
                    TaskFuture<Void> future = where.submit();
                    assertThat(future.isDone()).isTrue();
                    assertThat(ranOn[0]).isSameAs(Thread.currentThread());
                })
                .withTaskRunner(new SequentialTaskRunner())
                .call();
    }

    @Test
    void shouldNotStartTheNextTaskUntilAnAsynchronousOneHasEnded() {
        ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        CompletableFuture<String> gate = new CompletableFuture<>();
        Task0<String> first = Task.async("first", () -> {
            events.add("first started");
            return gate.thenApply(v -> {
                events.add("first ended");
                return v;
            });
        });
        Task0<Void> second = Task.of("second", () -> {
            events.add("second started");
        });
        Flow.of("async-order", () -> {
                    TaskFuture<String> a = first.submit();
                    TaskFuture<Void> b = second.submit();
                    try {
                        assertThat(b.state().isPending()).isTrue();
                        assertThat(events).containsExactly("first started");
                    } finally {
                        gate.complete("x");
                    }
                    b.await();
                    assertThat(a.result()).isEqualTo("x");
                })
                .withTaskRunner(new SequentialTaskRunner())
                .call();
        assertThat(events).containsExactly("first started", "first ended", "second started");
    }
}
