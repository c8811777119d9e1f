package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.Settings;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.TaskFuture;
import dev.weft.WeftClient;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The engine takes its slots from a SQLite store: a flow's tagged tasks respect the tag's limit. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class FlowConcurrencyLimitTest {
    @TempDir
    Path home;

    @Test
    void shouldRunAtMostTheLimitOfTaggedTasksAtOnce() {
        Settings settings =
                new Settings(home, Optional.empty(), Optional.of(Duration.ofSeconds(30)), Duration.ofSeconds(30));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        Task0<Integer> query = Task.of("query", () -> {
                    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(10); // work long enough for runs to overlap, were the limit not kept
                    } finally {
                        running.decrementAndGet();
                    }
                    return completed.incrementAndGet();
                })
                .withTags("db");
        Flow<List<Integer>> flow = Flow.of("limited", () -> {
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(query.submit());
            }
            List<Integer> results = new ArrayList<>();
            for (TaskFuture<Integer> f : futures) {
                results.add(f.result());
            }
            return results;
        });

        try (SlotStore store = JdbcSlotStore.open(settings)) {
            SlotStore previous = SlotStores.use(store);
            try {
                WeftClient.of(store).createConcurrencyLimit("db", 2);

                List<Integer> results = flow.call();

                assertThat(results).hasSize(20);
                assertThat(completed.get()).isEqualTo(20);
                assertThat(mostRunning.get()).isBetween(1, 2);
                assertThat(store.read("db").orElseThrow().activeSlots()).isEmpty();
            } finally {
                SlotStores.use(previous); // null: the default again, not this store, which closes now
            }
        }
    }
}
