package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.contract.TaskRunnerContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class ConcurrentTaskRunnerTest extends TaskRunnerContract {

    @Override
    protected TaskRunner runner() {
        return new ConcurrentTaskRunner();
    }

    @Override
    protected TaskRunner runner(Map<String, ? extends Number> workerResources) {
        return new ConcurrentTaskRunner(workerResources);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRunThousandsOfBlockingTasksAtTheSameTime() {
        int n = 5_000;
        // Each task blocks until all n have started: run one by one (or on a small pool) this hangs.
        CountDownLatch allStarted = new CountDownLatch(n);
        Task1<Integer, Integer> blocking = Task.of("blocking", (Integer i) -> {
            allStarted.countDown();
            if (!allStarted.await(50, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (n - allStarted.getCount()) + " tasks ran at once");
            }
            return i;
        });
        int sum = Flow.of("blocking-flow", () -> {
                    List<TaskFuture<Integer>> futures = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        futures.add(blocking.submit(i));
                    }
                    return TaskFuture.gather(futures).result().stream()
                            .mapToInt(Integer::intValue)
                            .sum();
                })
                .call();
        assertThat(sum).isEqualTo(n * (n - 1) / 2);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldGiveBackTheThreadOfAnAsynchronousTaskWhileItsStageIsPending() throws InterruptedException {
        CompletableFuture<String> gate = new CompletableFuture<>();
        AtomicReference<Thread> bodyThread = new AtomicReference<>();
        Task0<String> async = Task.async("async", () -> {
            bodyThread.set(Thread.currentThread());
            return gate;
        });
        Flow.of("async-flow", () -> {
                    TaskFuture<String> future = async.submit();
                    try {
                        while (bodyThread.get() == null) {
                            Thread.onSpinWait();
                        }
                        bodyThread.get().join(TimeUnit.SECONDS.toMillis(30));
                        assertThat(bodyThread.get().isAlive())
                                .as("the body's thread has ended")
                                .isFalse();
                        assertThat(future.state().isRunning()).isTrue();
                    } finally {
                        gate.complete("done");
                    }
                    assertThat(future.result()).isEqualTo("done");
                })
                .call();
    }
}
