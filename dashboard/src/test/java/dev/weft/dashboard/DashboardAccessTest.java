package dev.weft.dashboard;

import static dev.weft.dashboard.Records.flow;
import static dev.weft.dashboard.Records.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.StateType;
import dev.weft.spi.RunHistories;
import dev.weft.spi.RunHistory;
import dev.weft.spi.RunQuery;
import dev.weft.spi.SlotStores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No one gets in: the dashboard binds to loopback unless told otherwise, answers only requests addressed
 * to a loopback name there, reads for anyone who reaches it, and changes the history only for the holder
 * of its token; without a token it changes nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class DashboardAccessTest {
    private static final String TOKEN = "s3cret-token";
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    private final RunHistory history = RunHistories.inMemory(1000);
    private DashboardServer dashboard;

    private Client start(String host, String token) {
        history.write(List.of(
                flow("done", "olivine-swan", "etl", StateType.COMPLETED, T0, T0.plusSeconds(1), "1@here"),
                task("done", "load-aaaa0000-0", StateType.COMPLETED, null, T0, T0.plusMillis(3), "w"),
                flow("live", "witty-ocelot", "etl", StateType.RUNNING, T0, null, "1@here")));
        dashboard = DashboardServer.start(host, 0, token, () -> history, SlotStores::inMemory);
        return new Client(dashboard.uri());
    }

    @AfterEach
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    @Test
    void shouldBindToLoopbackUnlessToldOtherwise() throws Exception {
        Client client = start(null, null);

        assertThat(dashboard.uri().getHost()).isEqualTo("127.0.0.1");
        assertThat(dashboard.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(client.get("api/info").status()).isEqualTo(200);
        Optional<InetAddress> outside = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
        assumeTrue(outside.isPresent(), "this machine has no address but loopback to try from");
        try (Socket s = new Socket()) {
            assertThat(connects(
                            s,
                            new InetSocketAddress(
                                    outside.get(), dashboard.address().getPort())))
                    .as("reachable at %s", outside.get())
                    .isFalse();
        }
    }

    private static boolean connects(Socket s, InetSocketAddress to) throws Exception {
        try {
            s.connect(to, 2000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    @Test
    void shouldAnswerOnLoopbackOnlyRequestsAddressedToALoopbackName() throws Exception {
        start(null, null);

        assertThat(rawGet("evil.example:" + dashboard.address().getPort())).startsWith("HTTP/1.1 403");
        assertThat(rawGet("127.evil.example")).startsWith("HTTP/1.1 403");
        assertThat(rawGet("localhost:" + dashboard.address().getPort())).startsWith("HTTP/1.1 200");
        assertThat(rawGet("127.0.0.1:" + dashboard.address().getPort())).startsWith("HTTP/1.1 200");
    }

    private String rawGet(String host) throws Exception {
        try (Socket s =
                new Socket(dashboard.address().getAddress(), dashboard.address().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/info HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void shouldRefuseEveryChangeWhenStartedWithoutAToken() throws Exception {
        Client client = start(null, null);

        Client.Answer refused = client.delete("api/flow-runs/done", "Authorization", "Bearer anything");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error").toString()).contains("started without a token");
        assertThat(history.flowRun("done")).isPresent();
    }

    @Test
    void shouldRefuseToRemoveARunWithoutTheToken() throws Exception {
        Client client = start(null, TOKEN);

        Client.Answer none = client.delete("api/flow-runs/done");
        Client.Answer wrong = client.delete("api/flow-runs/done", "Authorization", "Bearer " + TOKEN + "x");
        Client.Answer wrongHeader = client.delete("api/flow-runs/done", "X-Weft-Token", "nope");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.response().headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrongHeader.status()).isEqualTo(403);
        assertThat(history.flowRun("done")).isPresent();
        assertThat(history.countTaskRuns("done")).isNotEmpty();
    }

    @Test
    void shouldRemoveARunThatEndedWithItsTaskRunsGivenTheToken() throws Exception {
        Client client = start(null, TOKEN);

        Client.Answer removed = client.delete("api/flow-runs/done", "Authorization", "Bearer " + TOKEN);

        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json()).containsEntry("removed", 1L).containsEntry("name", "olivine-swan");
        assertThat(history.flowRun("done")).isEmpty();
        assertThat(history.countTaskRuns("done")).isEmpty();
        assertThat(client.get("api/flow-runs/done").status()).isEqualTo(404);
        assertThat(history.flowRuns(RunQuery.all()))
                .extracting(r -> r.flowRunId())
                .containsExactly("live");
    }

    @Test
    void shouldKeepARunThatStillRunsAndSaySo() throws Exception {
        Client client = start(null, TOKEN);

        Client.Answer kept = client.delete("api/flow-runs/live", "X-Weft-Token", TOKEN);
        Client.Answer missing = client.delete("api/flow-runs/no-such-run", "X-Weft-Token", TOKEN);

        assertThat(kept.status()).isEqualTo(409);
        assertThat(kept.json().get("error").toString()).contains("'witty-ocelot' is still running");
        assertThat(history.flowRun("live")).isPresent();
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void shouldChangeNothingThroughAnyOtherMethod() throws Exception {
        Client client = start(null, TOKEN);

        Client.Answer post = client.send(java.net.http.HttpRequest.newBuilder(client.uri("api/flow-runs/done"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                .build());
        Client.Answer deleteAll = client.delete("api/flow-runs", "Authorization", "Bearer " + TOKEN);

        assertThat(post.status()).isEqualTo(405);
        assertThat(deleteAll.status()).isEqualTo(405);
        assertThat(history.flowRun("done")).isPresent();
    }
}
