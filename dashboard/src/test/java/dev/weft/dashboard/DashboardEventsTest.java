package dev.weft.dashboard;

import static dev.weft.dashboard.DashboardApiTest.list;
import static dev.weft.dashboard.DashboardApiTest.map;
import static dev.weft.dashboard.Records.flow;
import static dev.weft.dashboard.Records.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.StateType;
import dev.weft.spi.RunHistories;
import dev.weft.spi.RunHistory;
import dev.weft.spi.RunRecord;
import dev.weft.spi.SlotStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The events a page listens to: each open page is sent what changed in what it shows, so that a burst of
 * state changes costs it a handful of events of a bounded size, never one per change.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
final class DashboardEventsTest {
    private static final int BURST = 100_000;
    // as the engine's history writer: a batch every 50 ms at most, so the burst lasts two seconds
    private static final int BATCH = 2_500;
    private static final long BATCH_EVERY_MS = 50;

    private final RunHistory history = RunHistories.inMemory(2 * BURST);
    private DashboardServer dashboard;
    private Client client;

    @BeforeEach
    void start() {
        dashboard = DashboardServer.start("127.0.0.1", 0, null, () -> history, SlotStores::inMemory);
        client = new Client(dashboard.uri());
    }

    @AfterEach
    void stop() {
        dashboard.close();
    }

    @Test
    void shouldSendABurstOfAHundredThousandTaskRunsInAFewBoundedEventsAtMostFourASecond() throws Exception {
        Instant t0 = Instant.now();
        history.write(List.of(flow("burst", "lucky-lynx", "burst", StateType.RUNNING, t0, null, "1@here")));
        try (EventsClient runPage = new EventsClient(client.http(), client.uri("api/events?view=run&id=burst"));
                EventsClient listPage = new EventsClient(client.http(), client.uri("api/events?view=runs"))) {
            // the first event of each page: the whole of what it shows, before the burst
            runPage.await(e -> e.json().containsKey("run"), Duration.ofSeconds(10));
            listPage.await(e -> e.json().containsKey("runs"), Duration.ofSeconds(10));
            long burstStarted = System.nanoTime();

            List<RunRecord> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BURST; i++) {
                Instant start = t0.plusMillis(i / 8);
                batch.add(task(
                        "burst",
                        "noop-cafe0000-" + i,
                        i % 1000 == 0 ? StateType.FAILED : StateType.COMPLETED,
                        i % 1000 == 0 ? "failure " + i : null,
                        start,
                        start.plusMillis(1),
                        "weft-forkjoin-" + i % 8));
                if (batch.size() == BATCH) {
                    history.write(batch);
                    batch.clear();
                    Thread.sleep(BATCH_EVERY_MS);
                }
            }
            Instant ended = Instant.now();
            history.write(List.of(flow("burst", "lucky-lynx", "burst", StateType.FAILED, t0, ended, "1@here")));

            Map<String, Long> finalCounts = Map.of("COMPLETED", 99_900L, "FAILED", 100L);
            runPage.await(
                    e -> e.json().containsKey("run")
                            && map(e.json().get("run")).get("counts").equals(finalCounts)
                            && "FAILED".equals(map(e.json().get("run")).get("state")),
                    Duration.ofSeconds(20));
            listPage.await(
                    e -> e.json().containsKey("runs")
                            && list(e.json().get("runs"))
                                    .getFirst()
                                    .get("counts")
                                    .equals(finalCounts),
                    Duration.ofSeconds(20));
            Thread.sleep(3 * Events.TICK_MS); // and nothing more than that
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - burstStarted) + 1);

            for (EventsClient page : List.of(runPage, listPage)) {
                List<EventsClient.Event> events = page.events();
                List<EventsClient.Event> during =
                        events.stream().filter(e -> e.atNanos() >= burstStarted).toList();
                assertThat(during.size())
                        .as("events in %d s of burst, at most 4 a second", seconds)
                        .isLessThanOrEqualTo((int) (4 * seconds) + 1);
                assertThat(events).allSatisfy(e -> assertThat(e.name()).isEqualTo("update"));
                assertThat(events)
                        .as("each event is bounded")
                        .allSatisfy(e -> assertThat(e.data().length()).isLessThan(300_000));
            }
            // and the page saw the run's counts grow while the burst went on, not only its end
            assertThat(runPage.events()).anySatisfy(e -> assertThat(e.json().get("run"))
                    .isInstanceOfSatisfying(
                            Map.class, run -> assertThat(((Map<?, ?>) run.get("counts")).get("COMPLETED"))
                                    .isInstanceOfSatisfying(
                                            Long.class, n -> assertThat(n).isBetween(1L, 99_899L))));
            // after the first, a stream event carries at most a step of the runs that ended since the last one
            List<EventsClient.Event> streamed = runPage.events().stream()
                    .filter(e -> e.json().containsKey("stream"))
                    .toList();
            assertThat(streamed).isNotEmpty();
            assertThat(streamed.subList(1, streamed.size()))
                    .allSatisfy(e -> assertThat(list(map(e.json().get("stream")).get("bars")))
                            .hasSizeLessThanOrEqualTo(Events.STREAM_STEP));
            // an event carries only what changed: once the run is final, nothing more is sent
            int before = runPage.events().size();
            Thread.sleep(4 * Events.TICK_MS);
            assertThat(runPage.events()).hasSize(before);
        }
    }

    @Test
    void shouldSendTheLatestTaskRunsAsBarsOfTheStreamOnlyOnce() throws Exception {
        Instant t0 = Instant.now();
        history.write(List.of(
                flow("s", "brave-bison", "stream", StateType.RUNNING, t0, null, "1@here"),
                task("s", "a-00000000-0", StateType.COMPLETED, null, t0, t0.plusMillis(5), "w-1")));
        try (EventsClient page = new EventsClient(client.http(), client.uri("api/events?view=run&id=s"))) {
            EventsClient.Event first = page.await(e -> e.json().containsKey("stream"), Duration.ofSeconds(10));
            Map<String, Object> stream = map(first.json().get("stream"));
            assertThat(stream).containsEntry("reset", true);
            assertThat(list(stream.get("bars"))).hasSize(1);

            history.write(List.of(task("s", "a-00000000-1", StateType.FAILED, "no", t0, t0.plusMillis(9), "w-2")));

            EventsClient.Event next =
                    page.await(e -> e != first && e.json().containsKey("stream"), Duration.ofSeconds(10));
            Map<String, Object> more = map(next.json().get("stream"));
            assertThat(more).containsEntry("reset", false);
            assertThat(DashboardApiTest.lists(more.get("bars")))
                    .singleElement()
                    .satisfies(bar -> assertThat(bar.subList(1, 3)).containsExactly("a-00000000-1", "FAILED"));
            assertThat(list(next.json().get("failures"))).singleElement().satisfies(f -> assertThat(f)
                    .containsEntry("message", "no"));
            assertThat(next.json()).doesNotContainKey("error"); // unchanged: not sent again
        }
    }

    @Test
    void shouldRefuseAViewItDoesNotKnow() throws Exception {
        Client.Answer answer = client.get("api/events?view=everything");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").toString()).contains("runs, run, workers or limits");
        assertThat(client.get("api/events?view=run").status()).isEqualTo(400);
    }
}
