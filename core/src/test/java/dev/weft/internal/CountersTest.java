package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.runner.PoolThreads;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import dev.weft.stat.ProcessCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counters file: the task runs of every runner and the slots of every tag are counted in a file that
 * another process reads, live; running runs and waiting ones count down again as they end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class CountersTest {
    @TempDir
    Path dir;

    private static ProcessCounters now() {
        Counters c = Counters.get();
        assertThat(c).as("this process's counters").isNotNull();
        return ProcessCounters.read(c.file()).orElseThrow();
    }

    @Test
    void shouldCountTheRunsOfARunnerByStateWhileTheyRunAndAfter() throws Exception {
        String runner = "ConcurrentTaskRunner";
        ProcessCounters before = Counters.get() == null ? null : now();
        CountDownLatch running = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        Task1<Integer, Integer> work = Task.of("counted", (Integer i) -> {
            if (i < 3) {
                running.countDown();
                release.await();
            }
            if (i % 10 == 9) {
                throw new IllegalStateException("nine");
            }
            return i;
        });
        var flow = Flow.of("counters", new ConcurrentTaskRunner(), () -> {
                    List<TaskFuture<Integer>> all = new ArrayList<>();
                    IntStream.range(0, 100).forEach(i -> all.add(work.submit(i)));
                    TaskFuture.waitAll(all);
                })
                .start();
        running.await();
        long base = before == null ? 0 : before.get(runner, "submitted");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (now().get(runner, "submitted") - base < 100 && System.nanoTime() < deadline) {
            Thread.sleep(5); // the body is still submitting
        }
        ProcessCounters during = now();
        assertThat(during.get(runner, "running")).isGreaterThanOrEqualTo(3);
        assertThat(during.get(runner, "submitted") - base).isEqualTo(100);
        release.countDown();
        State<Void> state = flow.await();
        assertThat(state.type()).isEqualTo(StateType.FAILED);

        ProcessCounters after = now();
        assertThat(after.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(delta(before, after, runner, "completed")).isEqualTo(90);
        assertThat(delta(before, after, runner, "failed")).isEqualTo(10);
        assertThat(delta(before, after, runner, "crashed")).isZero();
        assertThat(after.get(runner, "running")).isEqualTo(before == null ? 0 : before.get(runner, "running"));
        assertThat(ProcessCounters.readAll(Counters.get().file().getParent())).anySatisfy(p -> assertThat(p.pid())
                .isEqualTo(ProcessHandle.current().pid()));
    }

    @Test
    void shouldWorkOutTheRunsRunningFromStartsStopsAndEnds() throws Exception {
        Counters counters = Counters.openIn(dir);
        Counters.RunnerCounts runner = counters.runner("r");
        for (int i = 0; i < 5; i++) {
            runner.moved(StateType.PENDING, StateType.RUNNING);
        }
        runner.moved(StateType.RUNNING, StateType.AWAITING_RETRY); // a retry: not running while it waits
        runner.moved(StateType.RUNNING, StateType.COMPLETED);
        runner.moved(StateType.RUNNING, StateType.FAILED);
        runner.moved(StateType.PENDING, StateType.CANCELLED); // never ran: takes nothing off the running
        runner.moved(StateType.QUEUED, StateType.CRASHED);
        ProcessCounters mid = ProcessCounters.read(counters.file()).orElseThrow();
        assertThat(mid.of(ProcessCounters.Kind.RUNNER).get("r"))
                .containsExactly(
                        Map.entry("submitted", 0L),
                        Map.entry("running", 2L),
                        Map.entry("completed", 1L),
                        Map.entry("failed", 1L),
                        Map.entry("crashed", 1L),
                        Map.entry("cancelled", 1L));
        assertThat(runner.running()).isEqualTo(2);

        runner.moved(StateType.AWAITING_RETRY, StateType.RUNNING);
        runner.moved(StateType.RUNNING, StateType.PENDING); // lost with its worker, to run again
        runner.moved(StateType.RUNNING, StateType.CANCELLED);
        runner.moved(StateType.RUNNING, StateType.COMPLETED);
        ProcessCounters end = ProcessCounters.read(counters.file()).orElseThrow();
        assertThat(end.get("r", "running")).isZero();
        assertThat(end.get("r", "cancelled")).isEqualTo(2);
        assertThat(end.get("r", "completed")).isEqualTo(2);
    }

    @Test
    void shouldGiveTheStripeOfAThreadThatEndedToTheNextThreadAndLoseNoCount() throws Exception {
        Counters counters = Counters.openIn(dir, 1); // one owned stripe
        Counters.Count count = counters.runner("r").completed;
        int[] stripes = new int[4];
        Thread first = Thread.ofPlatform().start(() -> {
            count.add(5);
            stripes[0] = counters.ownedStripe();
        });
        first.join();
        CountDownLatch counted = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        Thread second = Thread.ofPlatform().start(() -> {
            count.add(3);
            stripes[1] = counters.ownedStripe(); // the first thread's, as it has ended
            counted.countDown();
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        counted.await();
        Thread third = Thread.ofPlatform().start(() -> {
            count.add(2);
            stripes[2] = counters.ownedStripe(); // none free while the second lives: a shared one
        });
        third.join();
        Thread virtual = Thread.ofVirtual().start(() -> {
            count.add(4);
            stripes[3] = counters.ownedStripe();
        });
        virtual.join();
        end.countDown();
        second.join();

        assertThat(stripes).containsExactly(0, 0, -1, -1);
        assertThat(count.sum()).isEqualTo(14);
        assertThat(ProcessCounters.read(counters.file()).orElseThrow().get("r", "completed"))
                .isEqualTo(14);
    }

    @Test
    void shouldCountFromPoolThreadsIntoEveryCountersFileTheyCountIn() throws Exception {
        // A pool thread keeps the stripe it took in a field: it must be the stripe of the file it counts in.
        Counters first = Counters.openIn(Files.createDirectories(dir.resolve("first")), 2);
        Counters second = Counters.openIn(Files.createDirectories(dir.resolve("second")), 2);
        Counters.Count one = first.runner("r").completed;
        Counters.Count other = second.runner("r").completed;
        ForkJoinPool pool = new ForkJoinPool(3, PoolThreads::newThread, null, true); // more threads than stripes
        try {
            List<ForkJoinTask<?>> batches = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                batches.add(pool.submit(() -> {
                    for (int j = 0; j < 1_000; j++) {
                        one.add(1);
                        other.add(2);
                    }
                }));
            }
            for (ForkJoinTask<?> batch : batches) {
                batch.join();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(one.sum()).isEqualTo(300_000);
        assertThat(other.sum()).isEqualTo(600_000);
        assertThat(ProcessCounters.read(first.file()).orElseThrow().get("r", "completed"))
                .isEqualTo(300_000);
        assertThat(ProcessCounters.read(second.file()).orElseThrow().get("r", "completed"))
                .isEqualTo(600_000);
    }

    @Test
    void shouldLoseNoCountWhenManyPlatformAndVirtualThreadsCountAtOnce() throws Exception {
        Counters counters = Counters.openIn(dir, 2); // fewer owned stripes than platform threads
        Counters.Count count = counters.runner("r").completed;
        int threads = 6;
        int adds = 100_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread.Builder builder = t % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
            all.add(builder.start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < adds; i++) {
                    count.add(1);
                }
            }));
        }
        go.countDown();
        for (Thread t : all) {
            t.join();
        }
        assertThat(count.sum()).isEqualTo((long) threads * adds);
    }

    @Test
    void shouldCountTheRunsHoldingAndWaitingForTheSlotsOfATag() throws Exception {
        SlotStore store = SlotStores.inMemory();
        SlotStore previous = SlotStores.use(store);
        try {
            store.create("counted_tag", 2);
            CountDownLatch holding = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            Task1<Integer, Integer> limited = Task.of("limited", (Integer i) -> {
                        holding.countDown();
                        release.await();
                        return i;
                    })
                    .withTags("counted_tag");
            var flow = Flow.of("counters-tags", new ConcurrentTaskRunner(), () -> {
                        List<TaskFuture<Integer>> all = new ArrayList<>();
                        IntStream.range(0, 5).forEach(i -> all.add(limited.submit(i)));
                        TaskFuture.waitAll(all);
                    })
                    .start();
            holding.await();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (now().get("counted_tag", "waiting") < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            ProcessCounters during = now();
            assertThat(during.of(ProcessCounters.Kind.TAG))
                    .containsEntry("counted_tag", Map.of("held", 2L, "waiting", 3L));
            release.countDown();
            assertThat(flow.await().type()).isEqualTo(StateType.COMPLETED);
            assertThat(now().of(ProcessCounters.Kind.TAG))
                    .containsEntry("counted_tag", Map.of("held", 0L, "waiting", 0L));
        } finally {
            SlotStores.use(previous);
        }
    }

    @Test
    void shouldBeReadFromAnotherProcessWhileItsFlowRuns() throws Exception {
        Path flag = dir.resolve("release");
        Process child = ChildJvm.of(
                        CountedMain.class, List.of("-Dweft.counters.dir=" + dir, "-Dweft.history=off"), flag.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        try {
            Optional<ProcessCounters> seen = Optional.empty();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                seen = ProcessCounters.readAll(dir).stream()
                        .filter(p -> p.pid() == child.pid())
                        .findFirst();
                if (seen.isPresent() && seen.get().get("ConcurrentTaskRunner", "running") == 4) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(seen).as(() -> log(dir)).isPresent();
            assertThat(seen.get().command()).isEqualTo(CountedMain.class.getName());
            assertThat(seen.get().get("ConcurrentTaskRunner", "running")).isEqualTo(4);
            assertThat(seen.get().get("ConcurrentTaskRunner", "submitted")).isEqualTo(4);
            Files.writeString(flag, "go");
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(() -> log(dir)).isZero();
            assertThat(dir.resolve(child.pid() + ".counters")).doesNotExist(); // deleted as it exited
            assertThat(ProcessCounters.readAll(dir)).noneMatch(p -> p.pid() == child.pid());
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static long delta(ProcessCounters before, ProcessCounters after, String name, String metric) {
        return after.get(name, metric) - (before == null ? 0 : before.get(name, metric));
    }

    /** A flow whose four task runs wait for a file before they end. */
    static final class CountedMain {
        public static void main(String[] args) {
            Path flag = Path.of(args[0]);
            Task1<Integer, Integer> waiting = Task.of("waiting", (Integer i) -> {
                while (!Files.exists(flag)) {
                    Thread.sleep(10);
                }
                return i;
            });
            Flow.of("counted-elsewhere", new ConcurrentTaskRunner(), () -> {
                        List<TaskFuture<Integer>> all = new ArrayList<>();
                        IntStream.range(0, 4).forEach(i -> all.add(waiting.submit(i)));
                        TaskFuture.waitAll(all);
                    })
                    .call();
        }
    }
}
