package dev.weft.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.Flow;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.spi.DashboardProvider;
import dev.weft.spi.RunHistories;
import dev.weft.spi.RunHistory;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import dev.weft.spi.SlotStores;
import dev.weft.spi.StoreException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The stores behind the page: a store that fails shows as one line, on the page and in the API, and one
 * that hangs does too, after {@link Sources#READ_TIMEOUT}, never as a page that waits; the history is
 * found anew on each read; and a flow that asks for the dashboard gets this one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class DashboardStoresTest {
    private DashboardServer dashboard;
    private final CountDownLatch hang = new CountDownLatch(1);

    @AfterEach
    void stop() {
        hang.countDown();
        if (dashboard != null) {
            dashboard.close();
        }
        RunHistories.use(null);
    }

    /** A history whose every read runs {@code read} instead. */
    private static RunHistory history(Runnable read) {
        return (RunHistory) Proxy.newProxyInstance(
                RunHistory.class.getClassLoader(), new Class<?>[] {RunHistory.class}, (proxy, method, args) -> {
                    if (method.getName().equals("describe")) {
                        return "SQLite file /tmp/broken/weft.db";
                    }
                    read.run();
                    throw new AssertionError("unreachable");
                });
    }

    private Client start(Supplier<RunHistory> history) {
        dashboard = DashboardServer.start(null, 0, null, history, SlotStores::inMemory);
        return new Client(dashboard.uri());
    }

    @Test
    void shouldShowAStoreThatFailsInOneLineOnThePageAndInTheApi() throws Exception {
        Client client = start(() -> history(() -> {
            throw new StoreException(
                    "The run history in SQLite file /tmp/broken/weft.db cannot be read: [SQLITE_CORRUPT]\n  at line 2",
                    new java.io.IOException("database disk image is malformed"));
        }));

        Client.Answer answer = client.get("api/flow-runs");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("error"))
                .isEqualTo("The run history in SQLite file /tmp/broken/weft.db cannot be read: [SQLITE_CORRUPT]");
        try (EventsClient page = new EventsClient(client.http(), client.uri("api/events?view=runs"))) {
            EventsClient.Event event = page.await(e -> e.json().containsKey("error"), Duration.ofSeconds(10));
            assertThat(event.json().get("error").toString())
                    .contains("[SQLITE_CORRUPT]")
                    .doesNotContain("\n");
        }
    }

    @Test
    void shouldAnswerWithinTheReadTimeoutWhenTheStoreHangs() throws Exception {
        Client client = start(() -> history(() -> {
            try {
                hang.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new StoreException("gave up", null);
        }));

        long began = System.nanoTime();
        Client.Answer answer = client.get("api/flow-runs");
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("error").toString()).isEqualTo("The run history did not answer within 5 s");
        assertThat(took).isLessThan(Sources.READ_TIMEOUT.plusSeconds(5));
        // the page is told too, while reads that hang are not piled up
        try (EventsClient page = new EventsClient(client.http(), client.uri("api/events?view=workers"))) {
            EventsClient.Event event = page.await(e -> e.json().containsKey("error"), Duration.ofSeconds(20));
            assertThat(event.json().get("error").toString()).startsWith("The run history");
        }
        assertThat(client.get("").status()).as("the page itself still loads").isEqualTo(200);
    }

    @Test
    void shouldFindTheHistoryAnewOnEachReadAndSayWhenItIsOff() throws Exception {
        AtomicBoolean off = new AtomicBoolean(true);
        RunHistory memory = RunHistories.inMemory(100);
        Client client = start(() -> off.get() ? null : memory);

        Client.Answer whileOff = client.get("api/flow-runs");
        off.set(false);
        Client.Answer whenOn = client.get("api/flow-runs");

        assertThat(whileOff.status()).isEqualTo(503);
        assertThat(whileOff.json().get("error").toString()).contains("The run history is off");
        assertThat(whenOn.status()).isEqualTo(200);
        assertThat(whenOn.json()).containsEntry("runs", List.of());
    }

    @Test
    void shouldBeTheDashboardThatAFlowAskingForOneServes() throws Exception {
        assertThat(ServiceLoader.load(DashboardProvider.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(WeftDashboardProvider.class);
        RunHistory memory = RunHistories.inMemory(1000);
        RunHistories.use(memory);
        Logger flows = (Logger) LoggerFactory.getLogger("dev.weft.flow_runs");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        flows.addAppender(lines);
        try {
            State<Integer> state = Flow.of(
                            "with-dashboard", () -> Task.of("one", () -> 1).call())
                    .withDashboard(0)
                    .callForState();
            assertThat(state.type()).isEqualTo(StateType.COMPLETED);
        } finally {
            flows.detachAppender(lines);
        }
        String line = lines.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("The Weft dashboard is available at "))
                .findFirst()
                .orElseThrow();
        URI uri = URI.create(line.substring("The Weft dashboard is available at ".length()));
        assertThat(uri.getHost()).isEqualTo("127.0.0.1");
        assertThat(RunHistories.flush(Duration.ofSeconds(10))).isTrue();

        Map<String, Object> runs =
                new Client(uri).get("api/flow-runs?name=with-dashboard").json();
        List<Map<String, Object>> found = DashboardApiTest.list(runs.get("runs"));
        assertThat(found).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("state", "COMPLETED")
                .containsEntry("counts", Map.of("COMPLETED", 1L)));
        RunRecord record =
                memory.flowRuns(RunQuery.all().named("with-dashboard")).getFirst();
        assertThat(found.getFirst()).containsEntry("id", record.flowRunId());
    }
}
