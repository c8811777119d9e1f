package dev.weft.forkjoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.TaskRunner;
import dev.weft.contract.LogCapture;
import dev.weft.contract.TaskRunnerContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class ForkJoinTaskRunnerTest extends TaskRunnerContract {

    @Override
    protected TaskRunner runner() {
        return new ForkJoinTaskRunner();
    }

    @Override
    protected TaskRunner runner(Map<String, ? extends Number> workerResources) {
        return ForkJoinTaskRunner.builder()
                .workers(1)
                .threadsPerWorker(2)
                .resources(workerResources)
                .build();
    }

    /**
     * The pool runs each placed call as a task that never completes as such, so that the next call placed on
     * its worker can go in it: every call of a long chain (each made ready as the one before ends) and of
     * a wide batch still runs exactly once, with its own argument.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRunEveryCallOfALongChainAndOfAWideBatchExactlyOnce() {
        AtomicInteger runs = new AtomicInteger();
        Task1<Integer, Integer> increment = Task.of("increment", (Integer x) -> {
            runs.incrementAndGet();
            return x + 1;
        });
        int length = 200_000;
        long[] results = Flow.of(
                        "chain-and-batch",
                        ForkJoinTaskRunner.builder().workers(2).build(),
                        () -> {
                            TaskFuture<Integer> last = increment.submit(0);
                            for (int i = 1; i < length; i++) {
                                last = increment.submit(last);
                            }
                            List<TaskFuture<Integer>> batch = new ArrayList<>();
                            for (int i = 0; i < length; i++) {
                                batch.add(increment.submit(i));
                            }
                            long sum = 0;
                            for (TaskFuture<Integer> f : batch) {
                                sum += f.result();
                            }
                            return new long[] {last.result(), sum};
                        })
                .call();
        assertThat(results[0]).isEqualTo(length);
        assertThat(results[1]).isEqualTo((long) length * (length + 1) / 2);
        assertThat(runs.get()).isEqualTo(2 * length);
    }

    @Test
    void shouldDefaultToOneSingleThreadedWorkerPerCore() {
        ForkJoinTaskRunner runner = new ForkJoinTaskRunner();
        assertThat(runner.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(runner.threadsPerWorker()).isEqualTo(1);
        assertThat(runner.resources().isEmpty()).isTrue();
    }

    @Test
    void shouldGiveEachWorkerItsShareOfTheCoresWhenOnlyTheWorkersAreSet() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(ForkJoinTaskRunner.builder().workers(1).build().threadsPerWorker())
                .isEqualTo(cores);
        assertThat(ForkJoinTaskRunner.builder().workers(cores * 4).build().threadsPerWorker())
                .isEqualTo(1);
        assertThat(ForkJoinTaskRunner.builder()
                        .workers(1)
                        .threadsPerWorker(3)
                        .build()
                        .threadsPerWorker())
                .isEqualTo(3);
    }

    @Test
    void shouldRejectInvalidSettingsNamingThem() {
        assertThatThrownBy(() -> ForkJoinTaskRunner.builder().workers(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workers must be at least 1, not 0");
        assertThatThrownBy(() -> ForkJoinTaskRunner.builder().threadsPerWorker(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threadsPerWorker must be at least 1, not 0");
        assertThatThrownBy(() -> ForkJoinTaskRunner.builder().resources(Map.of("GPU", -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resources: Resource 'GPU' must be a finite amount of zero or more, not -1");
    }

    @Test
    void shouldCrashTheFlowRunSayingWhatToAddWhenGpuAutoFindsNoDeviceProvider() {
        // this module's tests have no weft-runner-gpu on the class path: nothing finds OpenCL devices
        dev.weft.State<String> state = Flow.of(
                        "gpu-auto-without-gpu-module",
                        ForkJoinTaskRunner.builder().workers(1).gpuWorkers().build(),
                        () -> "never")
                .callForState();

        assertThat(state.type()).isEqualTo(dev.weft.StateType.CRASHED);
        assertThat(state.message())
                .contains("ForkJoinTaskRunner was asked for GPU=auto")
                .contains("add dev.weft:weft-runner-gpu");
    }

    @Test
    void shouldLogTheClusterItCreates() {
        ForkJoinTaskRunner runner = ForkJoinTaskRunner.builder()
                .workers(2)
                .threadsPerWorker(1)
                .resources(Map.of("GPU", 1, "process", 1))
                .build();
        try (LogCapture logs = LogCapture.start()) {
            Flow.of("cluster", runner, () -> {}).call();
            assertThat(logs.lines())
                    .containsSubsequence(
                            "Starting task runner `ForkJoinTaskRunner`...",
                            "Creating a local cluster of 2 workers x 1 thread, each with {GPU=1, process=1} on a"
                                    + " ForkJoinPool");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRunGpuCallsOnlyOnTheOneWorkerWithAGpuBesideFourCpuWorkers() {
        ForkJoinTaskRunner runner = ForkJoinTaskRunner.builder()
                .workers(4)
                .threadsPerWorker(1)
                .worker(Map.of("GPU", 1))
                .build();
        AtomicInteger onGpu = new AtomicInteger();
        AtomicInteger mostOnGpu = new AtomicInteger();
        Set<String> cpuThreads = ConcurrentHashMap.newKeySet();
        CountDownLatch cpuBusy = new CountDownLatch(4);
        Task1<Integer, Integer> gpu = Task.of("gpu", (Integer i) -> {
                    mostOnGpu.accumulateAndGet(onGpu.incrementAndGet(), Math::max);
                    Thread.sleep(5);
                    onGpu.decrementAndGet();
                    return i;
                })
                .withResources(Map.of("GPU", 1));
        Task1<Integer, Integer> cpu = Task.of("cpu", (Integer i) -> {
            cpuThreads.add(Thread.currentThread().getName());
            cpuBusy.countDown();
            cpuBusy.await(); // four CPU calls at once: every CPU worker's slot busy
            return i;
        });
        try (LogCapture logs = LogCapture.start()) {
            int sum = Flow.of("mixed", runner, () -> {
                        var gpus = gpu.map(
                                java.util.stream.IntStream.range(0, 8).boxed().toList());
                        var cpus = cpu.map(
                                java.util.stream.IntStream.range(0, 4).boxed().toList());
                        return TaskFuture.gather(gpus).result().stream()
                                        .mapToInt(Integer::intValue)
                                        .sum()
                                + TaskFuture.gather(cpus).result().stream()
                                        .mapToInt(Integer::intValue)
                                        .sum();
                    })
                    .call();
            assertThat(sum).isEqualTo(28 + 6);
            assertThat(logs.lines())
                    .contains("Creating a local cluster of 4 workers x 1 thread and 1 worker x 1 thread, with"
                            + " {GPU=1} on a ForkJoinPool");
        }
        assertThat(mostOnGpu).hasValue(1); // one GPU: its calls one at a time
        assertThat(cpuThreads).hasSize(4);
    }

    static final Task1<Integer, Long> FIB = Task.of("fib", (Integer n) -> fib(n));

    /** A recursive fan-out: each call submits its two children and waits for their results. */
    static long fib(int n) {
        if (n < 2) {
            return n;
        }
        TaskFuture<Long> a = FIB.submit(n - 1);
        TaskFuture<Long> b = FIB.submit(n - 2);
        return a.result() + b.result();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldNeverDeadlockWhenEveryThreadWaitsForItsChildren() {
        ForkJoinTaskRunner twoSlots =
                ForkJoinTaskRunner.builder().workers(2).threadsPerWorker(1).build();
        long value = Flow.of("fan-out", twoSlots, () -> FIB.submit(16).result()).call();
        assertThat(value).isEqualTo(987);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldGiveAWaitingCallsSlotToTheCallsItWaitsFor() {
        // One slot in all: each level waits for the next, so each wait must hand the slot on.
        Task1<Integer, Integer> nest = Task.of("nest", (Integer depth) -> depth);
        AtomicReference<Task1<Integer, Integer>> deeper = new AtomicReference<>();
        deeper.set(Task.of(
                "deeper",
                (Integer depth) -> depth == 0
                        ? nest.submit(0).result()
                        : deeper.get().submit(depth - 1).result() + 1));
        ForkJoinTaskRunner oneSlot =
                ForkJoinTaskRunner.builder().workers(1).threadsPerWorker(1).build();
        int value = Flow.of(
                        "nested-waits", oneSlot, () -> deeper.get().submit(20).result())
                .call();
        assertThat(value).isEqualTo(20);
    }

    /**
     * A call made ready as the call before it ends runs next on the thread that ended that one, as a
     * {@code CompletableFuture} runs a dependent stage on the thread that completed it: a chain built
     * while its first step waits then runs on one thread, with no other woken for each step.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRunEachStepOfAChainOnTheThreadThatEndedTheStepBefore() {
        int length = 1_000;
        CountDownLatch built = new CountDownLatch(1);
        String[] ranOn = new String[length];
        Task1<Integer, Integer> first = Task.of("first", (Integer x) -> {
            if (!awaitManaged(built, 30)) {
                throw new IllegalStateException("the chain was not built in time");
            }
            ranOn[x] = Thread.currentThread().getName();
            return x + 1;
        });
        Task1<Integer, Integer> step = Task.of("step", (Integer x) -> {
            ranOn[x] = Thread.currentThread().getName();
            return x + 1;
        });
        int last = Flow.of("chain", ForkJoinTaskRunner.builder().workers(2).build(), () -> {
                    TaskFuture<Integer> f = first.submit(0);
                    for (int i = 1; i < length; i++) {
                        f = step.submit(f);
                    }
                    built.countDown();
                    return f.result();
                })
                .call();
        assertThat(last).isEqualTo(length);
        assertThat(ranOn[0]).startsWith("weft-forkjoin-");
        assertThat(ranOn).containsOnly(ranOn[0]);
    }

    /**
     * What a call submits while its code still runs starts on another worker at once: only what its end
     * makes ready waits for its thread.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldStartWhatARunningCallSubmitsWhileItStillRuns() {
        CountDownLatch childRan = new CountDownLatch(1);
        Task1<Integer, Integer> child = Task.of("child", (Integer x) -> {
            childRan.countDown();
            return x;
        });
        // The parent waits for its child outside Weft, holding its slot: only the other worker can run it.
        Task1<Integer, Boolean> parent = Task.of("parent", (Integer x) -> {
            child.submit(x);
            return awaitManaged(childRan, 30);
        });
        boolean ran = Flow.of(
                        "parent-and-child",
                        ForkJoinTaskRunner.builder().workers(2).build(),
                        () -> parent.submit(1).result())
                .call();
        assertThat(ran).isTrue();
    }

    /**
     * Waits on a latch the way a task on a fork-join pool should block on anything but a Weft future: as a
     * managed blocker, so the pool knows the thread is blocked and adds one if needed.
     */
    static boolean awaitManaged(CountDownLatch latch, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
            @Override
            public boolean block() throws InterruptedException {
                latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return true;
            }

            @Override
            public boolean isReleasable() {
                return latch.getCount() == 0 || System.nanoTime() - deadline >= 0;
            }
        });
        return latch.getCount() == 0;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldKeepEverySlotBusyWhileParentsWait() throws InterruptedException {
        // Leaves meet at a latch as wide as all slots: if waiting parents kept their slots, it never opens.
        int slots = 4;
        CountDownLatch allLeavesRunning = new CountDownLatch(slots);
        Set<String> leafThreads = ConcurrentHashMap.newKeySet();
        AtomicInteger leaves = new AtomicInteger();
        Task1<Integer, Integer> leaf = Task.of("leaf", (Integer i) -> {
            leafThreads.add(Thread.currentThread().getName());
            allLeavesRunning.countDown();
            if (!awaitManaged(allLeavesRunning, 30)) {
                throw new IllegalStateException("the slots were not all busy at once");
            }
            leaves.incrementAndGet();
            return i;
        });
        Task1<Integer, Integer> parent =
                Task.of("parent", (Integer i) -> leaf.submit(i).result());
        ForkJoinTaskRunner runner =
                ForkJoinTaskRunner.builder().workers(2).threadsPerWorker(2).build();
        int sum = Flow.of("busy", runner, () -> {
                    int total = 0;
                    var futures = new java.util.ArrayList<TaskFuture<Integer>>();
                    for (int i = 0; i < slots; i++) {
                        futures.add(parent.submit(i));
                    }
                    for (TaskFuture<Integer> f : futures) {
                        total += f.result();
                    }
                    return total;
                })
                .call();
        assertThat(sum).isEqualTo(0 + 1 + 2 + 3);
        assertThat(leaves).hasValue(slots);
        assertThat(leafThreads).allMatch(name -> name.startsWith("weft-forkjoin-"));
    }
}
