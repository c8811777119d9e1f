package dev.weft.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.RunHistories;
import dev.weft.spi.RunHistory;
import dev.weft.spi.SlotStores;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A dashboard starts, says where, and stops: it frees its port and ends its pages' streams when closed,
 * says plainly when its port is taken, and never keeps the JVM alive by itself, as a flow's dashboard
 * must not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class DashboardLifecycleTest {
    private final RunHistory history = RunHistories.inMemory(100);

    @Test
    void shouldFreeItsPortAndEndItsPagesStreamsWhenClosed() throws Exception {
        DashboardServer dashboard = DashboardServer.start(null, 0, null, () -> history, SlotStores::inMemory);
        int port = dashboard.address().getPort();
        Client client = new Client(dashboard.uri());
        EventsClient page = new EventsClient(client.http(), client.uri("api/events?view=runs"));
        page.await(e -> e.json().containsKey("runs"), Duration.ofSeconds(10));

        dashboard.close();
        dashboard.close(); // a second close does nothing

        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port));
        }
        page.close();
    }

    @Test
    void shouldSayWhichAddressItCannotBind() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> DashboardServer.start("127.0.0.1", port, null, history))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot bind to 127.0.0.1:" + port);
        }
        assertThatThrownBy(() -> DashboardServer.start(null, 70_000, null, history))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 0 to 65535");
    }

    @Test
    void shouldNotKeepTheJvmAliveByItself() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(
                        java.toString(), "-cp", System.getProperty("java.class.path"), ServesAndReturns.class.getName())
                .redirectErrorStream(true)
                .start();
        try {
            assertThat(child.waitFor(30, TimeUnit.SECONDS))
                    .as("the JVM ends when its main thread does")
                    .isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(out).isZero();
            assertThat(out).contains("serving at http://127.0.0.1:");
        } finally {
            child.destroyForcibly();
        }
    }

    /** Starts a dashboard, asks it once, and returns from main without closing it. */
    static final class ServesAndReturns {
        private ServesAndReturns() {}

        public static void main(String[] args) throws Exception {
            DashboardServer dashboard = DashboardServer.start(null, 0, null, RunHistories.inMemory(10));
            System.out.println("serving at " + dashboard.uri());
            List<Object> runs =
                    DashboardApiTest.list(new Client(dashboard.uri())
                                    .get("api/flow-runs")
                                    .json()
                                    .get("runs"))
                            .stream()
                            .map(Object.class::cast)
                            .toList();
            System.out.println(runs.size() + " runs");
        }
    }
}
