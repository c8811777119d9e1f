package dev.weft.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import dev.weft.spi.RunHistories;
import dev.weft.spi.RunHistory;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import dev.weft.spi.SlotStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A flow of a million task runs with its dashboard open: the history keeps up and loses none of them, and
 * each open page gets a bounded number of bounded updates, however fast the runs end.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
final class DashboardMillionRunsTest {
    private static final int RUNS = 1_000_000;
    private static final int BATCH = 100_000;

    private static final Task1<Integer, Integer> NOOP = Task.of("noop", (Integer i) -> i);

    @AfterEach
    void backToTheDefaultHistory() {
        RunHistories.use(null);
    }

    @Test
    void shouldRecordEveryRunOfAMillionWhileThePagesGetABoundedNumberOfUpdates() throws Exception {
        RunHistory history = RunHistories.inMemory(RUNS + 10);
        RunHistories.use(history);
        Runtime memory = Runtime.getRuntime();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.totalMemory() - memory.freeMemory(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (DashboardServer dashboard =
                        DashboardServer.start("127.0.0.1", 0, null, () -> history, SlotStores::inMemory);
                EventsClient listPage = new EventsClient(
                        new Client(dashboard.uri()).http(), new Client(dashboard.uri()).uri("api/events?view=runs"))) {
            listPage.await(e -> e.json().containsKey("runs"), Duration.ofSeconds(10));
            long started = System.nanoTime();
            var run = Flow.of("a-million", ForkJoinTaskRunner.builder().build(), () -> {
                        long sum = 0;
                        for (int b = 0; b < RUNS / BATCH; b++) { // in batches: the futures of one at a time
                            List<TaskFuture<Integer>> futures = new ArrayList<>(BATCH);
                            for (int i = 0; i < BATCH; i++) {
                                futures.add(NOOP.submit(i));
                            }
                            for (TaskFuture<Integer> f : futures) {
                                sum += f.result();
                            }
                        }
                        return sum;
                    })
                    .start();
            // the run page opens as soon as the run shows, and watches it to its end
            RunRecord flow = null;
            while (flow == null) {
                assertThat(RunHistories.flush(Duration.ofSeconds(10))).isTrue();
                flow = history.flowRuns(RunQuery.all().named("a-million")).stream()
                        .findFirst()
                        .orElse(null);
            }
            String id = flow.flowRunId();
            try (EventsClient runPage = new EventsClient(
                    new Client(dashboard.uri()).http(),
                    new Client(dashboard.uri()).uri("api/events?view=run&id=" + id))) {
                assertThat(run.await().type()).isEqualTo(StateType.COMPLETED);
                assertThat(RunHistories.flush(Duration.ofSeconds(60))).isTrue();
                long flowNanos = System.nanoTime() - started;

                // nothing dropped
                assertThat(history.countTaskRuns(id)).isEqualTo(Map.of(StateType.COMPLETED, (long) RUNS));
                assertThat(history.flowRun(id).orElseThrow().state()).isEqualTo(StateType.COMPLETED);

                runPage.await(
                        e -> e.json().containsKey("run")
                                && "COMPLETED".equals(((Map<?, ?>) e.json().get("run")).get("state")),
                        Duration.ofSeconds(20));
                Thread.sleep(3 * Events.TICK_MS);
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + 1;
                for (EventsClient page : List.of(listPage, runPage)) {
                    assertThat(page.events().size())
                            .as("updates over %d s, at most 4 a second", seconds)
                            .isLessThanOrEqualTo((int) (4 * seconds) + 2);
                    assertThat(page.events())
                            .allSatisfy(e -> assertThat(e.data().length()).isLessThan(300_000));
                }
                sampler.interrupt();
                System.out.printf(
                        "a million task runs with history and dashboard: %.1f s, %d updates to the list page and"
                                + " %d to the run page, peak heap %d MB%n",
                        flowNanos / 1e9,
                        listPage.events().size(),
                        runPage.events().size(),
                        peakHeap.get() >> 20);
                // the history holds every record; beyond that, the recorder's queues are bounded
                assertThat(peakHeap.get()).isLessThan(2L << 30);
            }
        } finally {
            sampler.interrupt();
        }
    }
}
