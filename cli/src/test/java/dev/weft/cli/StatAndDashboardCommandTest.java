package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft stat} reads the live counts of a flow that runs in another JVM; {@code weft dashboard} serves
 * the store's history from a process of its own until it is stopped.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatAndDashboardCommandTest {
    @TempDir
    Path dir;

    private static Process java(Path dir, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dweft.counters.dir=" + dir.resolve("counters"),
                "-Dweft.home=" + dir.resolve("home"),
                main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @Test
    void statShouldShowTheCountsOfAFlowThatRunsInAnotherJvm() throws Exception {
        Path release = dir.resolve("release");
        Process flow = java(dir, WaitingFlow.class.getName(), release.toString());
        try {
            String line = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                Console.Result stat =
                        Console.weft("stat", "--dir", dir.resolve("counters").toString(), "--pid", "" + flow.pid());
                assertThat(stat.exitCode()).isZero();
                line = stat.out()
                        .lines()
                        .filter(l -> l.strip().startsWith("ConcurrentTaskRunner"))
                        .findFirst()
                        .orElse(null);
                if (line != null && line.strip().split("\\s+")[2].equals("4")) {
                    break;
                }
                Thread.sleep(50);
            }
            // task runner, submitted, running, completed, failed, crashed, cancelled
            assertThat(line).isNotNull();
            assertThat(line.strip().split("\\s+"))
                    .containsExactly("ConcurrentTaskRunner", "4", "4", "0", "0", "0", "0");
            Files.writeString(release, "go");
            assertThat(flow.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Console.weft("stat", "--dir", dir.resolve("counters").toString(), "--pid", "" + flow.pid())
                            .out())
                    .startsWith("No Weft process " + flow.pid());
        } finally {
            flow.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void statShouldRefuseAWatchOfNoTime() {
        Console.Result stat = Console.weft("stat", "--watch", "0");
        assertThat(stat.exitCode()).isEqualTo(2);
        assertThat(stat.err()).contains("--watch takes a number of seconds more than 0");
    }

    @Test
    void dashboardShouldServeUntilItIsStopped() throws Exception {
        Process dashboard = java(dir, Weft.class.getName(), "dashboard", "--port", "0");
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(dashboard.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            String address = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("The Weft dashboard is available at ")) {
                    address = line.substring("The Weft dashboard is available at ".length())
                            .strip();
                    break;
                }
            }
            assertThat(address).startsWith("http://127.0.0.1:");
            HttpResponse<String> runs = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(address + "api/flow-runs"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(runs.statusCode()).isEqualTo(200);
            HttpResponse<String> delete = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(address + "api/flow-runs/x"))
                                    .DELETE()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(delete.statusCode()).isEqualTo(403); // no token: it changes nothing
            dashboard.destroy(); // SIGTERM
            assertThat(dashboard.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(dashboard.exitValue()).isIn(0, 143);
        } finally {
            dashboard.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A flow whose four task runs wait for a file before they end. */
    static final class WaitingFlow {
        public static void main(String[] args) {
            Path release = Path.of(args[0]);
            Task1<Integer, Integer> waiting = Task.of("waiting", (Integer i) -> {
                while (!Files.exists(release)) {
                    Thread.sleep(10);
                }
                return i;
            });
            Flow.of("waits-for-a-file", new ConcurrentTaskRunner(), () -> {
                        List<TaskFuture<Integer>> all = new ArrayList<>();
                        IntStream.range(0, 4).forEach(i -> all.add(waiting.submit(i)));
                        TaskFuture.waitAll(all);
                    })
                    .call();
        }
    }
}
